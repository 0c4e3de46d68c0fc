import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import type { LedgerDifferenceRow } from './kpi-ledger';
import { toChDateTime } from '../../ch-time';
import { DIMENSIONS, type Dimension, type Period } from '../board-view';

/** Table expressions with the ledger's columns, by month, by day and by hour. */
export interface LedgerSource {
  monthly: string;
  daily: string;
  hourly: string;
  /** The monthly, daily and hourly sums per single slice (dimension, slice): for reads filtered or grouped by one dimension at most. */
  monthlySlices?: string;
  dailySlices?: string;
  hourlySlices?: string;
}

const LEDGER_TABLES: LedgerSource = {
  monthly: 'kpi_ledger_monthly',
  daily: 'kpi_ledger_daily',
  hourly: 'kpi_ledger_hourly',
  monthlySlices: 'kpi_ledger_monthly_slices',
  dailySlices: 'kpi_ledger_daily_slices',
  hourlySlices: 'kpi_ledger_hourly_slices',
};

/** Where level metrics (running totals of +1/−1 flows) start summing: before the ledger's first row. */
export const BEGINNING = new Date('2000-01-01T00:00:00Z');

export type LedgerGrouping = 'none' | 'hour' | 'day' | 'detail' | Dimension;

export interface LedgerSum {
  group: string;
  metric: string;
  detail: string;
  bucket: number;
  value: number;
}

const rowSchema = z.object({
  slice: z.number(),
  group: z.string(),
  metric: z.string(),
  detail: z.string(),
  /** The sums by sketch bucket (0 for every other metric): bucket numbers, then their values. */
  sums: z.tuple([z.array(z.number()), z.array(z.number())]),
});

const HOUR = 3_600_000;
const DAY = 86_400_000;
const floorTo = (d: Date, step: number) => new Date(Math.floor(d.getTime() / step) * step);
const ceilTo = (d: Date, step: number) => new Date(Math.ceil(d.getTime() / step) * step);

export type LedgerFilters = Partial<Record<Dimension, string>>;

export interface LedgerSlice {
  metrics: readonly string[];
  period: Period;
  groupBy: LedgerGrouping;
  /** This slice's own filters, instead of the statement's. */
  filters?: LedgerFilters;
}

/**
 * Sums of ledger metrics over a period, per group, detail and sketch bucket. Whole months come
 * from the monthly table (unless grouped by day or hour), the other whole days from the daily one
 * and the partial days at either end from the hourly one (to the whole hour: the hour in progress
 * counts in full). Filters are equalities on allow-listed dimensions.
 */
export async function readLedger(
  a: Analytics,
  q: LedgerSlice & { filters: LedgerFilters; source?: LedgerSource },
): Promise<LedgerSum[]> {
  const [sums] = await readLedgerSlices(a, { filters: q.filters, source: q.source, slices: [q] });
  return sums;
}

/**
 * Several slices (periods × groupings × filters) in one statement: chDB runs one statement at a
 * time, so a board asks once for all its sums. `source` reads the ledger's rows from elsewhere
 * (bench:board's raw baseline).
 */
export async function readLedgerSlices(
  a: Analytics,
  q: { filters: LedgerFilters; source?: LedgerSource; slices: readonly LedgerSlice[] },
): Promise<LedgerSum[][]> {
  const source = q.source ?? LEDGER_TABLES;
  const params: Record<string, unknown> = {};
  const selects = q.slices.flatMap((slice, i) =>
    slice.metrics.length === 0 ? [] : sliceSelects(slice, i, source, slice.filters ?? q.filters, params),
  );
  const result: LedgerSum[][] = q.slices.map(() => []);
  if (selects.length === 0) return result;

  // The ledger tables take every slice in one statement; a source that recomputes the ledger (the
  // raw baseline) is too large a plan for that, so it goes one part at a time.
  const statements = q.source ? selects.map((select) => [select]) : [selects];
  // One statement's rows are one per key already (its GROUP BY); parts read apart are added here.
  const sums = new Map<string, LedgerSum>();
  for (const parts of statements) {
    // A row per group, metric and detail with its buckets' sums in two arrays (sumMap leaves out
    // those that come to zero): a duration sketch's 180-odd buckets a day are one row, not 180.
    const rows = await a.query({
      name: `kpi-ledger.read-${[...new Set(q.slices.map((s) => s.groupBy))].join('-')}`,
      sql: `SELECT s AS slice, g AS group, metric, detail, sumMap([bucket], [v]) AS sums
FROM (${parts.join('\nUNION ALL\n')})
GROUP BY s, g, metric, detail
HAVING notEmpty(sums.1)`,
      params,
      schema: rowSchema,
      timeoutMs: q.source ? 600_000 : undefined,
    });
    for (const { slice, group, metric, detail, sums: [buckets, values] } of rows) {
      buckets.forEach((bucket, i) => {
        const value = values[i];
        if (value === 0) return;
        if (statements.length === 1) {
          result[slice].push({ group, metric, detail, bucket, value });
          return;
        }
        const key = `${slice}\u0001${group}\u0001${metric}\u0001${detail}\u0001${bucket}`;
        const seen = sums.get(key);
        if (seen) seen.value += value;
        else {
          const sum = { group, metric, detail, bucket, value };
          sums.set(key, sum);
          result[slice].push(sum);
        }
      });
    }
  }
  return result;
}

/**
 * Adds a ledger pass's difference to sums readLedgerSlices read before the pass, for the same
 * slices, so that they equal a read made after it: a row counts in every slice whose metrics,
 * filters and period (to whole hours) take it, under the group that read gives it, and sums that
 * come to zero go, as the read's HAVING drops them.
 */
export function foldDifference(
  q: { filters: LedgerFilters; slices: readonly LedgerSlice[] },
  sums: LedgerSum[][],
  rows: readonly LedgerDifferenceRow[],
): void {
  q.slices.forEach((slice, i) => {
    const filters = slice.filters ?? q.filters;
    const metrics = new Set(slice.metrics);
    const hours = wholeHours(slice.period);
    const from = hourLabel(hours.from);
    const to = hourLabel(hours.to);
    const taken = rows.filter(
      (row) =>
        metrics.has(row.metric) &&
        row.hour >= from &&
        row.hour < to &&
        DIMENSIONS.every((d) => filters[d] === undefined || row[d] === filters[d]),
    );
    if (taken.length === 0) return;
    const keyOf = (s: Omit<LedgerSum, 'value'>) => `${s.group}\u0001${s.metric}\u0001${s.detail}\u0001${s.bucket}`;
    const byKey = new Map(sums[i].map((sum) => [keyOf(sum), sum]));
    for (const row of taken) {
      const at = { group: groupOfRow(slice.groupBy, row), metric: row.metric, detail: row.detail, bucket: row.bucket };
      const sum = byKey.get(keyOf(at));
      // The ledger's values have four decimals: rounding keeps a sum that cancels out at zero.
      if (sum) sum.value = Math.round((sum.value + row.value) * 10_000) / 10_000;
      else byKey.set(keyOf(at), { ...at, value: row.value });
    }
    sums[i] = [...byKey.values()].filter((sum) => sum.value !== 0);
  });
}

/** A period as the ledger reads it: widened to whole hours (the hour in progress counts in full). */
export function wholeHours(period: Period): Period {
  return { from: floorTo(period.from, HOUR), to: ceilTo(period.to, HOUR) };
}

/** The group a read gives a ledger row: as `sliceSelects` labels it. */
function groupOfRow(groupBy: LedgerGrouping, row: LedgerDifferenceRow): string {
  if (groupBy === 'none') return '';
  if (groupBy === 'hour') return row.hour;
  if (groupBy === 'day') return row.hour.slice(0, 10);
  return row[groupBy];
}

/** `YYYY-MM-DD HH:MM:SS`, as the ledger's hours read as text. */
export function hourLabel(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function sliceSelects(
  slice: LedgerSlice,
  index: number,
  source: LedgerSource,
  filters: LedgerFilters,
  params: Record<string, unknown>,
): string[] {
  const p = `s${index}_`;
  const conditions = [`metric IN {${p}metrics:Array(String)}`];
  params[`${p}metrics`] = [...slice.metrics];
  for (const dimension of DIMENSIONS) {
    const value = filters[dimension];
    if (value === undefined) continue;
    params[`${p}f_${dimension}`] = value;
    conditions.push(`${dimension} = {${p}f_${dimension}:String}`);
  }
  const groupOf = (time: 'month' | 'day' | 'hour'): string => {
    if (slice.groupBy === 'none') return "''";
    if (slice.groupBy === 'hour') return 'toString(hour)';
    if (slice.groupBy === 'day') return time === 'day' ? 'toString(day)' : 'toString(toDate(hour))';
    return slice.groupBy;
  };
  // Reads narrowed or grouped by one dimension at most come from the per-slice sums.
  const sliced = slicedRead(slice, filters, p, params);
  const select = (time: 'month' | 'day' | 'hour', ranges: string[]) => {
    const slicesTable = { month: source.monthlySlices, day: source.dailySlices, hour: source.hourlySlices }[time];
    if (sliced && slicesTable) {
      return `SELECT ${index} AS s, ${sliced.group(time)} AS g, metric, detail, bucket, value AS v FROM ${slicesTable}
WHERE ${sliced.conditions.join(' AND ')} AND (${ranges.join(' OR ')})`;
    }
    const table = { month: source.monthly, day: source.daily, hour: source.hourly }[time];
    return `SELECT ${index} AS s, ${groupOf(time)} AS g, metric, detail, bucket, value AS v FROM ${table}
WHERE ${conditions.join(' AND ')} AND (${ranges.join(' OR ')})`;
  };

  const { months, days, hours } = splitPeriod(slice.period, slice.groupBy);
  const selects: string[] = [];
  const bind = (name: string, d: Date, type: 'Date' | "DateTime64(3, 'UTC')") => {
    params[`${p}${name}`] = type === 'Date' ? d.toISOString().slice(0, 10) : toChDateTime(d);
    return `{${p}${name}:${type}}`;
  };
  if (months)
    selects.push(
      select('month', [
        `(month >= ${bind('m_from', months[0], 'Date')} AND month < ${bind('m_to', months[1], 'Date')})`,
      ]),
    );
  if (days.length > 0) {
    selects.push(
      select(
        'day',
        days.map(
          ([d0, d1], i) => `(day >= ${bind(`d${i}_from`, d0, 'Date')} AND day < ${bind(`d${i}_to`, d1, 'Date')})`,
        ),
      ),
    );
  }
  if (hours.length > 0) {
    const type = "DateTime64(3, 'UTC')";
    selects.push(
      select(
        'hour',
        hours.map(
          ([h0, h1], i) => `(hour >= ${bind(`h${i}_from`, h0, type)} AND hour < ${bind(`h${i}_to`, h1, type)})`,
        ),
      ),
    );
  }
  return selects;
}

/**
 * How a slice reads the per-slice sums: the totals (dimension ''), or one dimension's rows,
 * narrowed to its filter value or grouped by it. Null when it filters or groups by two dimensions.
 */
function slicedRead(
  slice: LedgerSlice,
  filters: LedgerFilters,
  p: string,
  params: Record<string, unknown>,
): { group: (time: 'month' | 'day' | 'hour') => string; conditions: string[] } | null {
  const filtered = DIMENSIONS.filter((d) => filters[d] !== undefined);
  const grouped = (DIMENSIONS as readonly string[]).includes(slice.groupBy) ? [slice.groupBy as Dimension] : [];
  const dimensions = [...new Set([...filtered, ...grouped])];
  if (dimensions.length > 1) return null;
  const dimension = dimensions[0] ?? '';
  params[`${p}dimension`] = dimension;
  const conditions = [`dimension = {${p}dimension:String}`, `metric IN {${p}metrics:Array(String)}`];
  if (dimension && filters[dimension] !== undefined) conditions.push(`slice = {${p}f_${dimension}:String}`);
  // Months are read only when grouped by neither day nor hour (splitPeriod).
  const group = (time: 'month' | 'day' | 'hour'): string => {
    if (slice.groupBy === 'none') return "''";
    if (slice.groupBy === 'hour') return 'toString(hour)';
    if (slice.groupBy === 'day') return time === 'day' ? 'toString(day)' : 'toString(toDate(hour))';
    return slice.groupBy === 'detail' ? 'detail' : 'slice';
  };
  return { group, conditions };
}

type Range = [Date, Date];

/**
 * A period (widened to whole hours) as whole months, whole days and hours: each read from the
 * coarsest table that can answer it. Grouped by hour it is all hours; by day, no months.
 */
function splitPeriod(period: Period, groupBy: LedgerGrouping): { months: Range | null; days: Range[]; hours: Range[] } {
  const { from, to } = wholeHours(period);
  const dayFrom = ceilTo(from, DAY);
  const dayTo = floorTo(to, DAY);
  if (groupBy === 'hour' || dayFrom >= dayTo) return { months: null, days: [], hours: [[from, to]] };
  const hours = nonEmpty([from, dayFrom], [dayTo, to]);
  const monthFrom = dayFrom.getUTCDate() === 1 ? dayFrom : startOfMonth(dayFrom, 1);
  const monthTo = startOfMonth(dayTo, 0);
  if (groupBy === 'day' || monthFrom >= monthTo) return { months: null, days: [[dayFrom, dayTo]], hours };
  return { months: [monthFrom, monthTo], days: nonEmpty([dayFrom, monthFrom], [monthTo, dayTo]), hours };
}

function nonEmpty(...ranges: Range[]): Range[] {
  return ranges.filter(([a, b]) => a < b);
}

/** The first day of the month `d` falls in, `add` months on. */
function startOfMonth(d: Date, add: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));
}
