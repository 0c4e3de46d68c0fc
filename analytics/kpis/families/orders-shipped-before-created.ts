import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import type { LedgerEventRow } from '../ledger/ledger-family';

const rowSchema = z.object({ order_id: z.string() });

/**
 * Of the orders whose order.created a batch brings, those with a shipment already stored in
 * `table` (the shipment arrived first). A family that books only shipped orders has nothing of
 * the others to recompute: their order.created adds no row there until a shipment comes, and that
 * shipment's event touches the order itself. One indexed lookup instead of the family's whole
 * contribution query for every new order.
 */
export async function ordersShippedBeforeCreated(
  analytics: Analytics,
  table: 'order_shipments' | 'shipped_lines',
  rows: readonly LedgerEventRow[],
): Promise<string[]> {
  const created = [...new Set(rows.filter((r) => r.type === 'order.created' && r.order_id !== '').map((r) => r.order_id))];
  if (created.length === 0) return [];
  const found = await analytics.query({
    name: `kpi-ledger.shipped-before-created.${table}`,
    sql: `SELECT DISTINCT order_id FROM ${table} WHERE order_id IN {orders:Array(String)}`,
    params: { orders: created },
    schema: rowSchema,
    timeoutMs: 60_000,
  });
  return found.map((r) => r.order_id);
}
