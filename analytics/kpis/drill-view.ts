import { z } from 'zod';
import { boardViewQuery, DIMENSIONS, FILTER_DIMENSIONS, filtersOf, parseBoardView, type BoardView, type Dimension } from './board-view';
import type { SliceFilters } from './kpi-readings';

/**
 * What a drill-down page shows: the board view it came from (range and filters travel along),
 * the slices the board has no filter for (carrier, supplier) once a breakdown row narrowed to
 * one, and whether the entities behind the number are listed. The URL holds all of it.
 */
export interface DrillView {
  view: BoardView;
  /** Narrowing the board's own filters cannot express. */
  extra: Partial<Record<Exclude<Dimension, (typeof FILTER_DIMENSIONS)[number]>, string>>;
  list: boolean;
}

const EXTRA_DIMENSIONS = DIMENSIONS.filter(
  (d): d is Exclude<Dimension, (typeof FILTER_DIMENSIONS)[number]> => !(FILTER_DIMENSIONS as readonly string[]).includes(d),
);
const sliceValue = z.string().min(1).max(64);

type Params = URLSearchParams | Record<string, string | string[] | undefined>;
const get = (params: Params, name: string): string | undefined => {
  if (params instanceof URLSearchParams) return params.get(name) ?? undefined;
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
};

export function parseDrillView(params: Params): DrillView {
  const extra: DrillView['extra'] = {};
  for (const d of EXTRA_DIMENSIONS) {
    const parsed = sliceValue.safeParse(get(params, d));
    if (parsed.success) extra[d] = parsed.data;
  }
  return { view: parseBoardView(params), extra, list: get(params, 'list') === '1' };
}

/** The drill-down's canonical query string: the board view's, then the extra slices, then `list`. */
export function drillViewQuery(drill: DrillView): string {
  const params = new URLSearchParams(boardViewQuery(drill.view));
  for (const d of EXTRA_DIMENSIONS) {
    const value = drill.extra[d];
    if (value) params.set(d, value);
  }
  if (drill.list) params.set('list', '1');
  return params.toString();
}

/** Every slice the drill-down is narrowed to. */
export function drillFilters(drill: DrillView): SliceFilters {
  return { ...filtersOf(drill.view), ...drill.extra };
}

/** The drill-down narrowed to one value of a dimension (a clicked bar or row); the entity list closes. */
export function narrowDrill(drill: DrillView, dimension: Dimension, value: string): DrillView {
  if ((FILTER_DIMENSIONS as readonly string[]).includes(dimension)) {
    return { view: { ...drill.view, [dimension]: value }, extra: drill.extra, list: false };
  }
  return { view: drill.view, extra: { ...drill.extra, [dimension]: value }, list: false };
}

/** The drill-down without one slice: the way back up. */
export function widenDrill(drill: DrillView, dimension: Dimension): DrillView {
  const view: BoardView = { ...drill.view };
  const extra = { ...drill.extra };
  if (dimension === 'carrier' || dimension === 'supplier') delete extra[dimension];
  else delete view[dimension];
  return { view, extra, list: false };
}
