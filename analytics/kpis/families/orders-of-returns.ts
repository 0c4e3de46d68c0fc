import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import { dataField, type LedgerEventRow } from '../ledger/ledger-family';

const rowSchema = z.object({ order_id: z.string() });

/**
 * The orders whose returns these rows request or reject. A `return.rejected` names only its
 * return: its order comes from a `return.requested` in the same rows, or from return_facts
 * (keyed by return_id) for one stored earlier.
 */
export async function ordersOfReturnEvents(rows: readonly LedgerEventRow[], analytics: Analytics): Promise<string[]> {
  const orders = new Set<string>();
  const inBatch = new Map<string, string>();
  for (const row of rows) {
    if (row.type !== 'return.requested' || row.order_id === '') continue;
    orders.add(row.order_id);
    inBatch.set(dataField(row, 'return_id'), row.order_id);
  }
  const rejected = rows.filter((row) => row.type === 'return.rejected').map((row) => dataField(row, 'return_id'));
  const unknown = [...new Set(rejected.filter((id) => id !== '' && !inBatch.has(id)))];
  for (const id of rejected) {
    const order = inBatch.get(id);
    if (order) orders.add(order);
  }
  if (unknown.length > 0) {
    const found = await analytics.query({
      name: 'kpi-ledger.orders-of-returns',
      sql: `SELECT DISTINCT order_id FROM return_facts WHERE return_id IN {returns:Array(String)} AND order_id != ''`,
      params: { returns: unknown },
      schema: rowSchema,
    });
    for (const row of found) orders.add(row.order_id);
  }
  return [...orders];
}
