import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import { toChDateTime } from '../../ch-time';

/** Units of one SKU that moved on one UTC day, by kind of flow. */
export interface DailyFlow {
  day: string;
  received: number;
  shipped: number;
  adjustedUp: number;
  adjustedDown: number;
  transferredIn: number;
  transferredOut: number;
  /** Units customers sent back that a warehouse received (`return.received`). */
  returned: number;
}

const rowSchema = z.object({
  day: z.string(),
  received: z.number(),
  shipped: z.number(),
  adjusted_up: z.number(),
  adjusted_down: z.number(),
  transferred_in: z.number(),
  transferred_out: z.number(),
  returned: z.number(),
});

/**
 * Flows in and out of `sku` per UTC day of business time in [from, to), for one warehouse or
 * (warehouse '') all of them; across all warehouses a transfer counts both in and out. Days
 * without any flow are absent. Each stored event counts once.
 */
export async function getSkuDailyFlows(
  a: Analytics,
  q: { sku: string; from: Date; to: Date; warehouse: string },
): Promise<DailyFlow[]> {
  const rows = await a.query({
    name: 'drill-through.sku-daily-flows',
    sql: `WITH
    arraySum(l -> if(JSONExtractString(l, 'sku') = {sku:String}, JSONExtractInt(l, 'qty'), 0), JSONExtractArrayRaw(data, 'lines')) AS line_qty,
    JSONExtractInt(data, 'qty') AS qty,
    JSONExtractInt(data, 'qty_delta') AS qty_delta,
    ({warehouse:String} = '' OR JSONExtractString(data, 'warehouse') = {warehouse:String}) AS here,
    ({warehouse:String} = '' OR JSONExtractString(data, 'to_warehouse') = {warehouse:String}) AS into_here,
    ({warehouse:String} = '' OR JSONExtractString(data, 'from_warehouse') = {warehouse:String}) AS out_of_here
SELECT
    toString(toDate(occurred_at)) AS day,
    sumIf(qty, type = 'stock.received' AND here) AS received,
    sumIf(line_qty, type = 'order.shipped' AND here) AS shipped,
    sumIf(greatest(qty_delta, 0), type = 'stock.adjusted' AND here) AS adjusted_up,
    sumIf(greatest(-qty_delta, 0), type = 'stock.adjusted' AND here) AS adjusted_down,
    sumIf(qty, type = 'stock.transferred' AND into_here) AS transferred_in,
    sumIf(qty, type = 'stock.transferred' AND out_of_here) AS transferred_out,
    sumIf(line_qty, type = 'return.received' AND here) AS returned
FROM
(
    SELECT id, type, occurred_at, data FROM events
    WHERE type IN ('stock.received', 'order.shipped', 'stock.adjusted', 'stock.transferred', 'return.received')
      AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
      AND has(skus, {sku:String})
    LIMIT 1 BY id
)
GROUP BY day
HAVING received + shipped + adjusted_up + adjusted_down + transferred_in + transferred_out + returned > 0
ORDER BY day`,
    params: { sku: q.sku, warehouse: q.warehouse, from: toChDateTime(q.from), to: toChDateTime(q.to) },
    schema: rowSchema,
  });
  return rows.map((r) => ({
    day: r.day,
    received: r.received,
    shipped: r.shipped,
    adjustedUp: r.adjusted_up,
    adjustedDown: r.adjusted_down,
    transferredIn: r.transferred_in,
    transferredOut: r.transferred_out,
    returned: r.returned,
  }));
}
