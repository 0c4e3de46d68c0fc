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
const rowSchema = z.object({ bucket: z.string(), units: z.coerce.number(), value: z.coerce.number() });

function bucketSql(ageDays: string): string {
  const arms = AGEING_BUCKETS.filter((b) => b.maxDays !== null).map((b) => `${ageDays} <= ${b.maxDays}, '${b.key}'`);
  return `multiIf(${arms.join(', ')}, 'over_180')`;
}

/**
 * On-hand units and their value by days since receipt, as of the end of the hour `at` falls in.
 * On hand: each SKU-warehouse's latest stock.snapshot in the SNAPSHOT_LOOKBACK_DAYS before then.
 * FIFO: what is on hand is taken to be the newest receipts (stock.received) up to then, each layer
 * valued at its own receipt cost and aged from its receipt; units beyond every receipt are
 * `unknown`, valued at the SKU's standard cost. Reads hours of snapshots, not their history.
 */
export async function readStockAgeing(analytics: Analytics, at: Date, filters: BoardFilters): Promise<StockAgeing> {
  const until = new Date(Math.ceil(at.getTime() / HOUR) * HOUR);
  const params: Record<string, unknown> = {
    since: toChDateTime(new Date(until.getTime() - SNAPSHOT_LOOKBACK_DAYS * 24 * HOUR)),
    until: toChDateTime(until),
  };
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
    sql: `WITH
product AS ${PRODUCT_DIMENSION_SQL},
positions AS (
    -- argMax states keep the time of their value: merged over the hours, the latest snapshot wins.
    SELECT warehouse, sku, argMaxMerge(on_hand) AS on_hand
    FROM stock_levels_hourly
    WHERE hour >= {since:DateTime64(3, 'UTC')} AND hour < {until:DateTime64(3, 'UTC')} ${where}
    GROUP BY warehouse, sku
    HAVING on_hand > 0
),
layers AS (
    SELECT warehouse, sku, received_at, qty, unit_cost,
        sum(qty) OVER (PARTITION BY warehouse, sku ORDER BY received_at DESC, event_id DESC ROWS UNBOUNDED PRECEDING) AS newer_and_this
    FROM stock_receipts FINAL
    WHERE received_at < {until:DateTime64(3, 'UTC')} AND (warehouse, sku) IN (SELECT warehouse, sku FROM positions)
),
on_hand_layers AS (
    SELECT l.received_at AS received_at, l.unit_cost AS unit_cost,
        greatest(0, least(l.qty, pos.on_hand - (l.newer_and_this - l.qty))) AS units
    FROM layers AS l INNER JOIN positions AS pos ON pos.warehouse = l.warehouse AND pos.sku = l.sku
),
unexplained AS (
    SELECT pos.sku AS sku, greatest(0, pos.on_hand - ifNull(r.received, 0)) AS units
    FROM positions AS pos
    LEFT JOIN (SELECT warehouse, sku, sum(qty) AS received FROM layers GROUP BY warehouse, sku) AS r
        ON r.warehouse = pos.warehouse AND r.sku = pos.sku
)
SELECT bucket, toString(sum(units)) AS units, toString(sum(value)) AS value
FROM
(
    SELECT ${bucketSql(`intDiv(dateDiff('second', received_at, {until:DateTime64(3, 'UTC')}), 86400)`)} AS bucket,
        units, toDecimal128(units * unit_cost, 4) AS value
    FROM on_hand_layers WHERE units > 0
    UNION ALL
    SELECT 'unknown' AS bucket, u.units AS units, toDecimal128(u.units * ifNull(p.unit_cost, toDecimal128(0, 4)), 4) AS value
    FROM unexplained AS u LEFT JOIN product AS p ON p.sku = u.sku
    WHERE u.units > 0
)
GROUP BY bucket`,
    params,
    schema: rowSchema,
  });
  const ageing = emptyAgeing();
  for (const row of rows) if (isAgeingBucket(row.bucket)) ageing[row.bucket] = { units: row.units, value: row.value };
  return ageing;
}

/** The events that change what the ageing reads: positions, receipts, and SKUs' category and cost. */
export const STOCK_AGEING_EVENT_TYPES: readonly string[] = ['stock.snapshot', 'stock.received', 'product.updated'];

/**
 * The tile and its parts read the same ageing: one query per board computation (same sources
 * object, same `now`, same range end and filters), not one per figure. Live boards pass a stock
 * version, and then an answer is reused across their rounds until stock events arrive (or the
 * range's end moves to another hour): the ageing does not move with orders, and a round per
 * ledger pass would otherwise read it twice (range and range before) every time.
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
    ageing = readStockAgeing(sources.analytics, q.period.to, q.filters);
    known.set(key, ageing);
    // A failed read is not remembered; a long-lived owner keeps only recent answers.
    ageing.catch(() => known.delete(key));
    if (known.size > 64) known.delete(known.keys().next().value ?? key);
  }
  return ageing;
}

/** One figure of the ageing: units or value in one bucket, or over all buckets. */
export function ageingFigure(measure: 'units' | 'value', bucket: AgeingBucket | 'all'): CustomKpiReader {
  return async (sources, q) => {
    const ageing = await ageingFor(sources, q);
    if (bucket !== 'all') return ageing[bucket][measure];
    return Object.values(ageing).reduce((acc, b) => acc + b[measure], 0);
  };
}
