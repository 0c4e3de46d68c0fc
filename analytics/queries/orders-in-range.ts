import { z } from 'zod';
import type { Analytics } from '../clickhouse';
import { toChDateTime } from '../ch-time';

const rowSchema = z.object({ orders: z.number(), units: z.number(), gross_sales: z.number() });

/** Orders, units and gross sales (Σ qty × unit_price − discount) of `order.created` in [from, to), from the hourly rollup. */
export async function getOrdersInRange(
  a: Analytics,
  range: { from: Date; to: Date },
): Promise<{ orders: number; units: number; grossSales: number }> {
  const [row] = await a.query({
    name: 'board.orders-in-range',
    sql: `SELECT sum(orders) AS orders, sum(units) AS units, sum(gross_sales) AS gross_sales
FROM orders_hourly
WHERE hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')}`,
    params: { from: toChDateTime(range.from), to: toChDateTime(range.to) },
    schema: rowSchema,
  });
  return { orders: row?.orders ?? 0, units: row?.units ?? 0, grossSales: row?.gross_sales ?? 0 };
}
