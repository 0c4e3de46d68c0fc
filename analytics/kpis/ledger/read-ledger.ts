import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import type { LedgerDifferenceRow } from './kpi-ledger';
import { DIMENSIONS, type Dimension, type Period } from '../board-view';
import { plannedReads, readSelects, sharingReads, wholeHours, type Read } from './ledger-read-plan';

export { wholeHours } from './ledger-read-plan';

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
  r: z.number(),
  piece: z.string(),
  group: z.string(),
  metric: z.string(),
  detail: z.string(),
  /** The sums by sketch bucket (0 for every other metric): bucket numbers, then their values. */
  sums: z.tuple([z.array(z.number()), z.array(z.number())]),
});

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
 * time, so a board asks once for all its sums. Slices read under the same filters share one SELECT
 * per table (monthly, daily, hourly): a SELECT costs the engine milliseconds to plan whatever it
 * reads, and a board's slices overlap. Their periods are cut where any of them starts or ends,
 * each piece is read once — summed whole, or by step where a slice needs its trend — and each
 * slice adds up the pieces it covers. `source` reads the ledger's rows from elsewhere
 * (bench:board's raw baseline).
 */
export async function readLedgerSlices(
  a: Analytics,
  q: { filters: LedgerFilters; source?: LedgerSource; slices: readonly LedgerSlice[] },
): Promise<LedgerSum[][]> {
  const source = q.source ?? LEDGER_TABLES;
  const reads = plannedReads(q.slices, q.filters, source);
  const params: Record<string, unknown> = {};
  const selects = sharingReads(reads).flatMap((members) => readSelects(reads, members, source, params));
  if (selects.length === 0) return q.slices.map(() => []);
  // The ledger tables take every read in one statement; a source that recomputes the ledger (the
  // raw baseline) is too large a plan for that, so it goes one part at a time.
  const statements = q.source ? selects.map((select) => [select]) : [selects];
  const sums = q.slices.map((): SliceSums => new Map());
  const metrics = q.slices.map((slice) => new Set(slice.metrics));
  for (const parts of statements) {
    // A row per read, piece (and step), group, metric and detail with its buckets' sums in two
    // arrays (sumMap leaves out those that come to zero): a duration sketch's 180-odd buckets a day
    // are one row, not 180.
    const rows = await a.query({
      name: `kpi-ledger.read-${[...new Set(q.slices.map((s) => s.groupBy))].join('-')}`,
      sql: `SELECT r, l AS piece, g AS group, metric, detail, sumMap([bucket], [v]) AS sums
FROM (${parts.join('\nUNION ALL\n')})
GROUP BY r, l, g, metric, detail
HAVING notEmpty(sums.1)`,
      params,
      schema: rowSchema,
      timeoutMs: q.source ? 600_000 : undefined,
    });
    for (const row of rows) addToSlices(reads[row.r], row, q.slices, metrics, sums);
  }
  return sums.map((slice) => {
    const out: LedgerSum[] = [];
    for (const { group, metric, detail, buckets } of slice.values()) {
      for (const [bucket, sum] of buckets) {
        // The ledger's values have four decimals: rounding keeps a sum that cancels out at zero.
        const value = Math.round(sum * 10_000) / 10_000;
        if (value !== 0) out.push({ group, metric, detail, bucket, value });
      }
    }
    return out;
  });
}

/** A slice's sums by group, metric and detail, each with its buckets' sums. */
type SliceSums = Map<string, { group: string; metric: string; detail: string; buckets: Map<number, number> }>;

/** A row of a read added to every slice that covers its piece and asks for its metric. */
function addToSlices(
  read: Read,
  row: z.infer<typeof rowSchema>,
  slices: readonly LedgerSlice[],
  metrics: readonly Set<string>[],
  sums: SliceSums[],
): void {
  const bar = row.piece.indexOf('|');
  const piece = read.pieces[Number(bar < 0 ? row.piece : row.piece.slice(0, bar))];
  const step = bar < 0 ? '' : row.piece.slice(bar + 1);
  const [buckets, values] = row.sums;
  for (const i of piece.slices) {
    if (!metrics[i].has(row.metric)) continue;
    const groupBy = slices[i].groupBy;
    const group =
      groupBy === 'none'
        ? ''
        : groupBy === 'hour'
          ? step
          : groupBy === 'day'
            ? step.slice(0, 10)
            : groupBy === 'detail'
              ? row.detail
              : row.group;
    const key = `${group}\u0001${row.metric}\u0001${row.detail}`;
    let sum = sums[i].get(key);
    if (!sum) {
      sum = { group, metric: row.metric, detail: row.detail, buckets: new Map() };
      sums[i].set(key, sum);
    }
    for (let b = 0; b < buckets.length; b++)
      sum.buckets.set(buckets[b], (sum.buckets.get(buckets[b]) ?? 0) + values[b]);
  }
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

/** The group a read gives a ledger row: as `addToSlices` does. */
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
