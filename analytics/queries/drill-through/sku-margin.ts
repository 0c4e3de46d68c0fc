import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import { toChDateTime } from '../../ch-time';

/**
 * What `sku` earned on the orders created in a range, in one currency. Sales are
 * qty × unit_price − line discount; cost is qty × unit_cost as the order line carried it; gross
 * margin is sales − cost. Cancellations, returns and refunds are not taken off. Lines that carried
 * no unit_cost add to sales and not to cost, so they are counted apart.
 */
export interface SkuMargin {
  currency: string;
  orders: number;
  unitsSold: number;
  sales: number;
  cost: number;
  grossMargin: number;
  unitsWithoutCost: number;
}

const rowSchema = z.object({
  currency: z.string(),
  orders: z.number(),
  units: z.number(),
  sales: z.number(),
  cost: z.number(),
  units_without_cost: z.number(),
});

/** The margin of `sku` over `order.created` lines in [from, to), one row per order currency. */
export async function getSkuMargin(a: Analytics, q: { sku: string; from: Date; to: Date }): Promise<SkuMargin[]> {
  const rows = await a.query({
    name: 'drill-through.sku-margin',
    sql: `SELECT
    if(JSONExtractString(data, 'currency') = '', 'USD', JSONExtractString(data, 'currency')) AS currency,
    uniqExact(order_id) AS orders,
    sum(JSONExtractInt(line, 'qty')) AS units,
    sum(JSONExtractInt(line, 'qty') * JSONExtractFloat(line, 'unit_price') - JSONExtractFloat(line, 'discount')) AS sales,
    sum(JSONExtractInt(line, 'qty') * JSONExtractFloat(line, 'unit_cost')) AS cost,
    sumIf(JSONExtractInt(line, 'qty'), NOT JSONHas(line, 'unit_cost')) AS units_without_cost
FROM
(
    SELECT id, order_id, data FROM events
    WHERE type = 'order.created'
      AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
      AND has(skus, {sku:String})
    LIMIT 1 BY id
)
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE JSONExtractString(line, 'sku') = {sku:String}
GROUP BY currency
ORDER BY sales DESC, currency`,
    params: { sku: q.sku, from: toChDateTime(q.from), to: toChDateTime(q.to) },
    schema: rowSchema,
  });
  return rows.map((r) => ({
    currency: r.currency,
    orders: r.orders,
    unitsSold: r.units,
    sales: r.sales,
    cost: r.cost,
    grossMargin: r.sales - r.cost,
    unitsWithoutCost: r.units_without_cost,
  }));
}
