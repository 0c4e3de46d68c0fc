import { z } from 'zod';
import type { Analytics } from '../clickhouse';
import { toChDateTime } from '../ch-time';

const rowSchema = z.object({ open_orders: z.number() });

/**
 * Orders open at `at`: created by then, and neither first shipped nor cancelled by then. Judging
 * every fact against the same instant keeps the figure right when events arrive out of order.
 */
export async function getOpenBacklog(a: Analytics, at: Date): Promise<number> {
  const [row] = await a.query({
    name: 'board.open-backlog',
    // A set difference rather than a GROUP BY over every order: the facts of one order sit on
    // several rows until the engine merges them, and the shipped-or-cancelled set is one column.
    sql: `SELECT uniqExact(order_id) AS open_orders
FROM order_facts
WHERE created_at <= {at:DateTime64(3, 'UTC')}
  AND order_id NOT IN (
      SELECT order_id FROM order_facts
      WHERE first_shipped_at <= {at:DateTime64(3, 'UTC')} OR cancelled_at <= {at:DateTime64(3, 'UTC')}
  )`,
    params: { at: toChDateTime(at) },
    schema: rowSchema,
  });
  return row?.open_orders ?? 0;
}
