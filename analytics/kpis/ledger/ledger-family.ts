import type { EntityKind } from '@/lib/entity-kind';
import type { Analytics } from '../../clickhouse';

/** What a family needs of a stored event row (ingest's EventRow has these and more). */
export interface LedgerEventRow {
  type: string;
  /** '' when the event is not about one order. */
  order_id: string;
  /** Business time, `YYYY-MM-DD HH:MM:SS.mmm` UTC: for families keyed by day (e.g. a SKU's shipments of a day). */
  occurred_at: string;
  /** The validated `data` object. */
  data: object;
}

/**
 * A family of KPI ledger contributions: one kind of entity (an order, a return, a PO line …),
 * the SQL that says what each such entity adds to which metric, hour and slice, and which of its
 * entities a batch of events touches. This SQL is the one definition of the numbers: the ledger
 * sums it, drill-downs list the entities behind a sum with it, and rebuilds replay it.
 *
 * The SQL is a SELECT with exactly these columns (any order):
 *   entity_key String, metric String, hour DateTime('UTC'), channel, region, warehouse, category,
 *   carrier, supplier, detail (Strings, '' where the slice does not apply), bucket Int32
 *   (durationBucketSql for sketch metrics, else 0), value Decimal(38, 4) (signed allowed).
 * It reads facts tables (never `events`) and restricts its entities with `entityFilter(column,
 * scope)`; for scope 'keys' the caller binds `{keys:Array(String)}`.
 */
export interface LedgerFamily {
  /** Names the entity, e.g. 'order'; also names the family in the ledger's build state. */
  readonly entity: string;
  /** What its entity keys name: which drill-through page lists behind a KPI open them with. */
  readonly keys: EntityKind;
  /** The metrics this family writes, e.g. ['orders.created', 'orders.units']. */
  readonly metrics: readonly string[];
  /** Keys of this family's entities the rows touch (may look up related facts, e.g. a return's order). */
  touchedBy(rows: readonly LedgerEventRow[], analytics: Analytics): Promise<string[]>;
  contributionsSql(scope: EntityScope): string;
}

/**
 * Which of a family's entities its SQL reads: the bound `{keys}`, all of them, or one part of them
 * all (a rebuild replays a long history part by part, so that its joins fit in memory).
 */
export type EntityScope = 'keys' | 'all' | EntityPart;

/**
 * The entities whose key hashes to `part` of `of` parts, or whose key lies in a range: from the
 * bound `{part_from}` (unless `from` is null) up to, not including, `{part_to}` (unless `to` is
 * null). A range lets a facts table ordered by the key read only its part's granules, where a
 * hash reads the whole table for every part.
 */
export type EntityPart = { part: number; of: number } | KeyRange;

export interface KeyRange {
  from: string | null;
  to: string | null;
}

/** The query parameters a part's SQL binds (none for a part by hash). */
export function partParams(part: EntityPart): Record<string, string> {
  if ('part' in part) return {};
  return { ...(part.from === null ? {} : { part_from: part.from }), ...(part.to === null ? {} : { part_to: part.to }) };
}

/** The WHERE condition that restricts a family's entities to the bound keys, a part of them, or all. */
export function entityFilter(column: string, scope: EntityScope): string {
  if (scope === 'keys') return `${column} IN {keys:Array(String)}`;
  return scope === 'all' ? '1 = 1' : partFilter(column, scope);
}

/**
 * The rows of one part's entities, by a hash of the entity key or its range: `keySql` must compute
 * the value the family's SQL gives `entity_key`, so that every entity falls in exactly one part.
 */
export function partFilter(keySql: string, part: EntityPart): string {
  if ('part' in part) return `cityHash64(${keySql}) % ${part.of} = ${part.part}`;
  const bounds = [
    ...(part.from === null ? [] : [`${keySql} >= {part_from:String}`]),
    ...(part.to === null ? [] : [`${keySql} < {part_to:String}`]),
  ];
  return bounds.length === 0 ? '1 = 1' : `(${bounds.join(' AND ')})`;
}

/** Relative accuracy of duration sketches: a percentile read from them is within ±1 % of the exact one. */
export const SKETCH_GAMMA = 1.02;

/**
 * The log-scale sketch bucket of a duration in seconds (durations under a second count as one).
 * Buckets can be added and subtracted, unlike t-digest states, which is what a ledger of
 * corrections needs; readSketchQuantile turns them back into a duration.
 */
export function durationBucketSql(secondsExpr: string): string {
  return `toInt32(round(log(greatest(toFloat64(${secondsExpr}), 1)) / log(${SKETCH_GAMMA})))`;
}

/** The duration in seconds a sketch bucket stands for. */
export function bucketSeconds(bucket: number): number {
  return SKETCH_GAMMA ** bucket;
}

/** Event rows' `data` field by name, as a string ('' when absent): for touchedBy. */
export function dataField(row: LedgerEventRow, field: string): string {
  const value = (row.data as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}
