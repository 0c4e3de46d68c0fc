import { z } from 'zod';
import { addUtcDays, startOfUtcDay } from '../ch-time';

/**
 * What one board shows: a range and filters. The URL holds the whole of it, so a view can be
 * shared; its canonical query string also names the live room whose viewers share one computation.
 */
export const RANGE_PRESETS = ['today', 'yesterday', '7d', '30d', '90d', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const FILTER_DIMENSIONS = ['channel', 'warehouse', 'region', 'category'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

/** Every slice the ledger keeps; a KPI says which of them apply to it. */
export const DIMENSIONS = ['channel', 'region', 'warehouse', 'category', 'carrier', 'supplier'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const filterValue = z.string().min(1).max(64).optional();

export const boardViewSchema = z
  .object({
    range: z.enum(RANGE_PRESETS).default('today'),
    from: day.optional(),
    to: day.optional(),
    channel: filterValue,
    warehouse: filterValue,
    region: filterValue,
    category: filterValue,
  })
  .refine((v) => v.range !== 'custom' || (v.from !== undefined && v.to !== undefined && v.from <= v.to), {
    error: 'a custom range needs from and to (YYYY-MM-DD), from not after to',
  });

export type BoardView = z.output<typeof boardViewSchema>;
export type BoardFilters = Partial<Record<FilterDimension, string>>;

/** The view a URL asks for; unknown parameters are ignored, bad ones fall back to today. */
export function parseBoardView(params: URLSearchParams | Record<string, string | string[] | undefined>): BoardView {
  const entries =
    params instanceof URLSearchParams
      ? Object.fromEntries(params.entries())
      : Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = boardViewSchema.safeParse(entries);
  return parsed.success ? parsed.data : boardViewSchema.parse({});
}

/** The canonical query string of a view (stable key order, defaults left out): its URL and its room. */
export function boardViewQuery(view: BoardView): string {
  const params = new URLSearchParams();
  if (view.range !== 'today') params.set('range', view.range);
  if (view.range === 'custom' && view.from && view.to) {
    params.set('from', view.from);
    params.set('to', view.to);
  }
  for (const dimension of FILTER_DIMENSIONS) {
    const value = view[dimension];
    if (value) params.set(dimension, value);
  }
  return params.toString();
}

export function filtersOf(view: BoardView): BoardFilters {
  const filters: BoardFilters = {};
  for (const dimension of FILTER_DIMENSIONS) if (view[dimension]) filters[dimension] = view[dimension];
  return filters;
}

export interface Period {
  from: Date;
  to: Date;
}

export interface ViewPeriods {
  current: Period;
  /** The equal range just before: for today, yesterday up to the same time of day. */
  previous: Period;
  /** The step of the tiles' trend lines. */
  grain: 'hour' | 'day';
}

const PRESET_DAYS: Partial<Record<RangePreset, number>> = { '7d': 7, '30d': 30, '90d': 90 };

/**
 * The periods a view covers at `now` (UTC). "Last N days" are today and the N − 1 days before it,
 * so they end now; the range before them ends at the same time of day N days earlier, which keeps a
 * day in progress from being compared with whole days.
 */
export function periodsOf(view: BoardView, now: Date): ViewPeriods {
  const today = startOfUtcDay(now);
  const shiftBack = (p: Period, ms: number): Period => ({
    from: new Date(p.from.getTime() - ms),
    to: new Date(p.to.getTime() - ms),
  });
  if (view.range === 'today') {
    const current = { from: today, to: now };
    return { current, previous: shiftBack(current, 86_400_000), grain: 'hour' };
  }
  if (view.range === 'yesterday') {
    const current = { from: addUtcDays(today, -1), to: today };
    return { current, previous: shiftBack(current, 86_400_000), grain: 'hour' };
  }
  if (view.range === 'custom' && view.from && view.to) {
    const from = new Date(`${view.from}T00:00:00Z`);
    const to = addUtcDays(new Date(`${view.to}T00:00:00Z`), 1);
    const current = { from, to: to < now ? to : now };
    const length = to.getTime() - from.getTime();
    return {
      current,
      previous: shiftBack({ from, to: current.to }, length),
      grain: length <= 2 * 86_400_000 ? 'hour' : 'day',
    };
  }
  const days = PRESET_DAYS[view.range] ?? 7;
  const current = { from: addUtcDays(today, -(days - 1)), to: now };
  return { current, previous: shiftBack(current, days * 86_400_000), grain: 'day' };
}
