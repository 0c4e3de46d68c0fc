import { z } from 'zod';
import { toChDateTime } from '../../ch-time';
import type { Analytics } from '../../clickhouse';
import type { BoardFilters } from '../board-view';
import { PRODUCT_DIMENSION_SQL } from '../families/stock-family-keys';
import type { CustomKpiQuery, CustomKpiReader, KpiSources } from '../kpi-definition';

/** Days since receipt, as KPIS.md buckets them; `unknown` holds units older than every receipt the tower has. */
export const AGEING_BUCKETS = [
  { key: '0_30', label: '0–30 d', maxDays: 30 },
  { key: '31_60', label: '31–60 d', maxDays: 60 },
  { key: '61_90', label: '61–90 d', maxDays: 90 },
  { key: '91_180', label: '91–180 d', maxDays: 180 },
  { key: 'over_180', label: '> 180 d', maxDays: null },
] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number]['key'] | 'unknown';

/** A SKU-warehouse the core has not reported for this long is left out of the stock. */
export const SNAPSHOT_LOOKBACK_DAYS = 7;

export type StockAgeing = Record<AgeingBucket, { units: number; value: number }>;

const HOUR = 3_600_000;
const BUCKET_KEYS: readonly string[] = [...AGEING_BUCKETS.map((b) => b.key), 'unknown'];

function isAgeingBucket(key: string): key is AgeingBucket {
  return BUCKET_KEYS.includes(key);
}

function emptyAgeing(): StockAgeing {
  const none = () => ({ units: 0, value: 0 });
  return { '0_30': none(), '31_60': none(), '61_90': none(), '91_180': none(), over_180: none(), unknown: none() };
}
const rowSchema = z.object({
  end_at: z.string(),
  bucket: z.string(),
  units: z.coerce.number(),
  value: z.coerce.number(),
});

function bucketSql(ageDays: string): string {
  const arms = AGEING_BUCKETS.filter((b) => b.maxDays !== null).map((b) => `${ageDays} <= ${b.maxDays}, '${b.key}'`);
  return `multiIf(${arms.join(', ')}, 'over_180')`;
}

/**
 * On-hand units and their value by days since receipt, as of the end of the hour each of `ats`
 * falls in, in one statement (a board wants the end of its range and of the range before).
 * On hand: each SKU-warehouse's latest stock.snapshot in the SNAPSHOT_LOOKBACK_DAYS before then.
 * FIFO: what is on hand is taken to be the newest receipts (stock.received) up to then, each layer
 * valued at its own receipt cost and aged from its receipt; units beyond every receipt are
 * `unknown`, valued at the SKU's standard cost. Reads hours of snapshots, not their history.
 */
export async function readStockAgeing(
  analytics: Analytics,
  ats: readonly Date[],
  filters: BoardFilters,
): Promise<StockAgeing[]> {
  const ends = [...new Set(ats.map((at) => Math.ceil(at.getTime() / HOUR) * HOUR))];
  const lookback = SNAPSHOT_LOOKBACK_DAYS * 24 * HOUR;
  const params: Record<string, unknown> = {
    ends: ends.map((end) => toChDateTime(new Date(end))),
    until: toChDateTime(new Date(Math.max(...ends))),
  };
  // The hours each end looks back over: the primary key narrows the snapshots to them.
  const lookbacks = ends
    .map((end, i) => {
      params[`since_${i}`] = toChDateTime(new Date(end - lookback));
      params[`end_${i}`] = toChDateTime(new Date(end));
      return `(hour >= {since_${i}:DateTime64(3, 'UTC')} AND hour < {end_${i}:DateTime64(3, 'UTC')})`;
    })
    .join(' OR ');
  const conditions: string[] = [];
  if (filters.warehouse !== undefined) {
    params.warehouse = filters.warehouse;
    conditions.push('warehouse = {warehouse:String}');
  }
  if (filters.category !== undefined) {
    params.category = filters.category;
    conditions.push('sku IN (SELECT sku FROM product WHERE category = {category:String})');
  }
  const where = conditions.map((c) => `AND ${c}`).join(' ');
  const rows = await analytics.query({
    name: 'kpi.stock-ageing',
    // Each table read once (a CTE is planned again wherever it is named). A pair's receipts go in
    // one array, newest first: sorting a few dozen receipts per pair costs far less than one sort
    // of all of them. For each end, the receipts before it are laid against what is on hand: each
    // layer is what the pair still holds after the newer ones, and what none explains is unknown.
    sql: `WITH product AS ${PRODUCT_DIMENSION_SQL}
SELECT toString(end_at) AS end_at, bucket, toString(sum(units)) AS units, toString(sum(value)) AS value
FROM
(
    SELECT end_at, arm.1 AS bucket, arm.2 AS units, toDecimal128(arm.2 * arm.3, 4) AS value
    FROM
    (
        SELECT pos.end_at AS end_at, pos.sku AS sku, pos.on_hand AS on_hand,
            arrayFilter(x -> x.1 < end_at, r.newest_first) AS received,
            arrayCumSum(arrayMap(x -> x.2, received)) AS newer_and_this,
            arrayFilter(
                layer -> layer.2 > 0,
                arrayMap((x, upto) -> (x.1, greatest(0, least(x.2, on_hand - (upto - x.2))), x.3), received, newer_and_this)
            ) AS layers,
            greatest(0, on_hand - arraySum(arrayMap(x -> x.2, received))) AS unexplained
        FROM
        (
            -- argMax states keep the time of their value: merged over the hours, the latest snapshot wins.
            SELECT end_at, warehouse, sku, argMaxMerge(on_hand) AS on_hand
            FROM stock_levels_hourly
            ARRAY JOIN {ends:Array(DateTime64(3, 'UTC'))} AS end_at
            WHERE (${lookbacks}) AND hour >= end_at - INTERVAL ${SNAPSHOT_LOOKBACK_DAYS} DAY AND hour < end_at ${where}
            GROUP BY end_at, warehouse, sku
            HAVING on_hand > 0
        ) AS pos
        LEFT JOIN
        (
            SELECT warehouse, sku,
                arrayReverseSort(x -> (x.1, x.4), groupArray((received_at, qty, unit_cost, event_id))) AS newest_first
            FROM stock_receipts FINAL
            WHERE received_at < {until:DateTime64(3, 'UTC')}
            GROUP BY warehouse, sku
        ) AS r USING (warehouse, sku)
    ) AS l
    LEFT JOIN product AS p ON p.sku = l.sku
    ARRAY JOIN arrayConcat(
        arrayMap(x -> (${bucketSql(`intDiv(dateDiff('second', x.1, end_at), 86400)`)}, x.2, x.3), layers),
        [('unknown', unexplained, ifNull(p.unit_cost, toDecimal128(0, 4)))]
    ) AS arm
    WHERE arm.2 > 0
)
GROUP BY end_at, bucket`,
    params,
    schema: rowSchema,
  });
  const byEnd = new Map(ends.map((end) => [toChDateTime(new Date(end)), emptyAgeing()]));
  for (const row of rows) {
    const ageing = byEnd.get(row.end_at);
    if (ageing && isAgeingBucket(row.bucket)) ageing[row.bucket] = { units: row.units, value: row.value };
  }
  return ats.map((at) => byEnd.get(toChDateTime(new Date(Math.ceil(at.getTime() / HOUR) * HOUR)))!);
}

/** The events that change what the ageing reads: positions, receipts, and SKUs' category and cost. */
export const STOCK_AGEING_EVENT_TYPES: readonly string[] = ['stock.snapshot', 'stock.received', 'product.updated'];

/**
 * The tile and its parts read the same ageing: one query per board computation (same sources
 * object, same `now`, same range end and filters), not one per figure, and the ends asked for
 * together (the range's and the range before's) in one statement. Live boards pass a stock
 * version, and then an answer is reused across their rounds until stock events arrive (or the
 * range's end moves to another hour): the ageing does not move with orders, and a round per
 * ledger pass would otherwise read it every time.
 */
const perComputation = new WeakMap<object, Map<string, Promise<StockAgeing>>>();
const perVersion = new WeakMap<object, Map<string, Promise<StockAgeing>>>();

function ageingFor(sources: KpiSources, q: CustomKpiQuery): Promise<StockAgeing> {
  const until = Math.ceil(q.period.to.getTime() / HOUR) * HOUR;
  const live = sources.stock;
  const owner: object = live ? live.keptBy : sources;
  const byOwner = live ? perVersion : perComputation;
  const key = JSON.stringify([live ? live.version : q.now.getTime(), until, q.filters]);
  const known = byOwner.get(owner) ?? new Map<string, Promise<StockAgeing>>();
  byOwner.set(owner, known);
  let ageing = known.get(key);
  if (!ageing) {
    ageing = withOthersAsked(owner, sources.analytics, until, q.filters);
    known.set(key, ageing);
    // A failed read is not remembered; a long-lived owner keeps only recent answers.
    ageing.catch(() => known.delete(key));
    if (known.size > 64) known.delete(known.keys().next().value ?? key);
  }
  return ageing;
}

/** Ends asked for under the same filters while a board is evaluated, waiting for one statement. */
const asking = new WeakMap<object, Map<string, { ends: number[]; answer: Promise<StockAgeing[]> }>>();

/**
 * The ageing at `end`, read with every other end asked for under the same filters before this
 * turn of the event loop is over: a board evaluates all its KPIs, range and range before, at once.
 */
function withOthersAsked(
  owner: object,
  analytics: Analytics,
  end: number,
  filters: BoardFilters,
): Promise<StockAgeing> {
  const byFilters = asking.get(owner) ?? new Map<string, { ends: number[]; answer: Promise<StockAgeing[]> }>();
  asking.set(owner, byFilters);
  const key = JSON.stringify(filters);
  let batch = byFilters.get(key);
  if (!batch) {
    const ends: number[] = [];
    const answer = Promise.resolve().then(() => {
      byFilters.delete(key);
      return readStockAgeing(
        analytics,
        ends.map((t) => new Date(t)),
        filters,
      );
    });
    batch = { ends, answer };
    byFilters.set(key, batch);
  }
  const at = batch.ends.push(end) - 1;
  return batch.answer.then((all) => all[at]);
}

/** One figure of the ageing: units or value in one bucket, or over all buckets. */
export function ageingFigure(measure: 'units' | 'value', bucket: AgeingBucket | 'all'): CustomKpiReader {
  return async (sources, q) => {
    const ageing = await ageingFor(sources, q);
    if (bucket !== 'all') return ageing[bucket][measure];
    return Object.values(ageing).reduce((acc, b) => acc + b[measure], 0);
  };
}
