import { toChDateTime } from '../../ch-time';
import { DIMENSIONS, type Dimension, type Period } from '../board-view';
import type { LedgerFilters, LedgerGrouping, LedgerSlice, LedgerSource } from './read-ledger';

// How readLedgerSlices turns a board's slices into few SELECTs: slices under the same filters
// read together, their periods cut into pieces at every slice's bounds, each piece from the
// coarsest table (months, days, hours) its slices allow.

const HOUR = 3_600_000;
const DAY = 86_400_000;
const floorTo = (d: Date, step: number) => new Date(Math.floor(d.getTime() / step) * step);
const ceilTo = (d: Date, step: number) => new Date(Math.ceil(d.getTime() / step) * step);

/** Where slices read the ledger from: the per-slice sums, or the ledger by every dimension. */
type ReadTarget =
  | { sliced: true; dimension: Dimension | ''; slice: string | null; groupBy: Dimension | null }
  | { sliced: false; filters: LedgerFilters; groupBy: Dimension | null };

/** A stretch of time read from one table, summed whole (step null) or by hour or day. */
interface Piece {
  time: 'month' | 'day' | 'hour';
  from: Date;
  to: Date;
  step: 'hour' | 'day' | null;
  /** The slices (indices into the statement's) whose periods cover the piece. */
  slices: number[];
}

/** The slices that read from one target: one SELECT per table for all their pieces. */
export interface Read {
  target: ReadTarget;
  metrics: string[];
  pieces: Piece[];
}

/**
 * Slices by where they read, each target's periods cut at every slice's bounds into pieces no
 * slice starts or ends within, each piece as coarse as the slices covering it allow.
 */
export function plannedReads(slices: readonly LedgerSlice[], filters: LedgerFilters, source: LedgerSource): Read[] {
  const byTarget = new Map<string, { target: ReadTarget; members: number[] }>();
  slices.forEach((slice, i) => {
    if (slice.metrics.length === 0) return;
    const target = targetOf(slice, slice.filters ?? filters, source);
    const key = JSON.stringify(target);
    const entry = byTarget.get(key) ?? { target, members: [] };
    entry.members.push(i);
    byTarget.set(key, entry);
  });
  return [...byTarget.values()].map(({ target, members }) => {
    const periods = new Map(members.map((i) => [i, wholeHours(slices[i].period)]));
    const bounds = [...new Set([...periods.values()].flatMap((p) => [p.from.getTime(), p.to.getTime()]))].sort(
      (x, y) => x - y,
    );
    const pieces: Piece[] = [];
    for (let b = 0; b + 1 < bounds.length; b++) {
      const from = new Date(bounds[b]);
      const to = new Date(bounds[b + 1]);
      const covering = members.filter((i) => periods.get(i)!.from <= from && periods.get(i)!.to >= to);
      if (covering.length === 0) continue;
      const steps = new Set(covering.map((i) => slices[i].groupBy));
      const step = steps.has('hour') ? 'hour' : steps.has('day') ? 'day' : null;
      const { months, days, hours } = splitPeriod({ from, to }, step ?? 'none');
      if (months) pieces.push({ time: 'month', from: months[0], to: months[1], step: null, slices: covering });
      for (const [d0, d1] of days) pieces.push({ time: 'day', from: d0, to: d1, step, slices: covering });
      for (const [h0, h1] of hours) pieces.push({ time: 'hour', from: h0, to: h1, step, slices: covering });
    }
    return { target, metrics: [...new Set(members.flatMap((i) => slices[i].metrics))], pieces };
  });
}

/**
 * The per-slice sums serve reads narrowed or grouped by one dimension at most: the totals
 * (dimension ''), or one dimension's rows, narrowed to its filter value or grouped by it.
 */
function targetOf(slice: LedgerSlice, filters: LedgerFilters, source: LedgerSource): ReadTarget {
  const filtered = DIMENSIONS.filter((d) => filters[d] !== undefined);
  const grouped = (DIMENSIONS as readonly string[]).includes(slice.groupBy) ? (slice.groupBy as Dimension) : null;
  const dimensions = [...new Set([...filtered, ...(grouped ? [grouped] : [])])];
  if (dimensions.length <= 1 && source.monthlySlices && source.dailySlices && source.hourlySlices) {
    const dimension = dimensions[0] ?? '';
    return { sliced: true, dimension, slice: dimension ? (filters[dimension] ?? null) : null, groupBy: grouped };
  }
  return { sliced: false, filters: Object.fromEntries(filtered.map((d) => [d, filters[d]])), groupBy: grouped };
}

/**
 * Reads that can share SELECTs: of the per-slice sums, with the same pieces and grouping, each of
 * another dimension (a row's dimension tells whose it is). A board filtered by channel reads its
 * channel's sums and the totals (for KPIs without that slice) in one SELECT per table.
 */
export function sharingReads(reads: readonly Read[]): number[][] {
  const clusters: { key: string; dimensions: Set<string>; members: number[] }[] = [];
  reads.forEach((read, r) => {
    const { target } = read;
    if (!target.sliced) {
      clusters.push({ key: '', dimensions: new Set(), members: [r] });
      return;
    }
    const key = JSON.stringify([target.groupBy, read.pieces.map(({ time, from, to, step }) => [time, from, to, step])]);
    const cluster = clusters.find((c) => c.key === key && !c.dimensions.has(target.dimension));
    if (cluster) {
      cluster.dimensions.add(target.dimension);
      cluster.members.push(r);
    } else {
      clusters.push({ key, dimensions: new Set([target.dimension]), members: [r] });
    }
  });
  return clusters.map((c) => c.members);
}

/**
 * The SELECT per table of reads that share them (sharingReads). Each row is labelled with its read
 * and its piece — `k`, or `k|step` where the piece goes by hour or day — so that the slices
 * covering that piece can take it.
 */
export function readSelects(
  reads: readonly Read[],
  members: readonly number[],
  source: LedgerSource,
  params: Record<string, unknown>,
): string[] {
  const wheres = members.map((r) => {
    const p = `r${r}_`;
    const { target, metrics } = reads[r];
    params[`${p}metrics`] = metrics;
    const conditions = [`metric IN {${p}metrics:Array(String)}`];
    if (target.sliced) {
      params[`${p}dimension`] = target.dimension;
      conditions.unshift(`dimension = {${p}dimension:String}`);
      if (target.slice !== null) {
        params[`${p}slice`] = target.slice;
        conditions.push(`slice = {${p}slice:String}`);
      }
    } else {
      for (const [dimension, value] of Object.entries(target.filters)) {
        params[`${p}f_${dimension}`] = value;
        conditions.push(`${dimension} = {${p}f_${dimension}:String}`);
      }
    }
    return conditions.join(' AND ');
  });
  const whose =
    members.length === 1
      ? String(members[0])
      : `multiIf(${members
          .slice(0, -1)
          .map((r) => `dimension = {r${r}_dimension:String}, ${r}`)
          .join(', ')}, ${members[members.length - 1]})`;
  const { target, pieces: allPieces } = reads[members[0]];
  const group = target.groupBy === null ? "''" : target.sliced ? 'slice' : target.groupBy;
  const p = `r${members[0]}_`;

  return (['month', 'day', 'hour'] as const).flatMap((time) => {
    const pieces = allPieces.map((piece, k) => ({ piece, k })).filter(({ piece }) => piece.time === time);
    if (pieces.length === 0) return [];
    const type = time === 'hour' ? "DateTime64(3, 'UTC')" : 'Date';
    const bind = (name: string, d: Date) => {
      params[`${p}${name}`] = time === 'hour' ? toChDateTime(d) : d.toISOString().slice(0, 10);
      return `{${p}${name}:${type}}`;
    };
    const stepOf = (step: 'hour' | 'day') =>
      step === 'hour' ? 'toString(hour)' : time === 'day' ? 'toString(day)' : 'toString(toDate(hour))';
    const labels = pieces.map(({ piece, k }) => (piece.step ? `concat('${k}|', ${stepOf(piece.step)})` : `'${k}'`));
    const ranges = pieces.map(
      ({ piece, k }) => `(${time} >= ${bind(`p${k}_from`, piece.from)} AND ${time} < ${bind(`p${k}_to`, piece.to)})`,
    );
    // Pieces are in time order and the WHERE keeps rows to them: the first piece a row ends before is its own.
    const label =
      labels.length === 1
        ? labels[0]
        : `multiIf(${pieces
            .slice(0, -1)
            .map(({ k }, i) => `${time} < {${p}p${k}_to:${type}}, ${labels[i]}`)
            .join(', ')}, ${labels[labels.length - 1]})`;
    const table = target.sliced
      ? { month: source.monthlySlices, day: source.dailySlices, hour: source.hourlySlices }[time]
      : { month: source.monthly, day: source.daily, hour: source.hourly }[time];
    const where = wheres.length === 1 ? wheres[0] : wheres.map((w) => `(${w})`).join(' OR ');
    return [
      `SELECT ${whose} AS r, ${label} AS l, ${group} AS g, metric, detail, bucket, value AS v FROM ${table}
WHERE (${where}) AND (${ranges.join(' OR ')})`,
    ];
  });
}

/** A period as the ledger reads it: widened to whole hours (the hour in progress counts in full). */
export function wholeHours(period: Period): Period {
  return { from: floorTo(period.from, HOUR), to: ceilTo(period.to, HOUR) };
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
