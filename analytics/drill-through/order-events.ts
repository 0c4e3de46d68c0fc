import type { Analytics } from '../clickhouse';
import { getEventsByReference, type StoredEvent } from '../queries/drill-through/events-by-reference';
import { textOf } from './payload-fields';

/**
 * Everything stored about one order: its own events, and the return and refund events that do
 * not repeat its order_id (return.authorized, received, inspected, rejected; refund.approved,
 * rejected), found through the ids its own events name. Each event once, in business order.
 */
export async function getOrderEvents(a: Analytics, orderId: string): Promise<StoredEvent[]> {
  const own = await getEventsByReference(a, 'order_id', [orderId]);
  const returnIds = own.map((e) => textOf(e.data, 'return_id')).filter(Boolean);
  const refundIds = own.map((e) => textOf(e.data, 'refund_id')).filter(Boolean);
  const [ofReturns, ofRefunds] = await Promise.all([
    getEventsByReference(a, 'return_id', returnIds),
    getEventsByReference(a, 'refund_id', refundIds),
  ]);
  return mergeEvents(own, ofReturns, ofRefunds);
}

/** The events of one return and of the refunds it led to; the refund ids come from its events. */
export async function getReturnEvents(a: Analytics, returnId: string): Promise<StoredEvent[]> {
  const own = await getEventsByReference(a, 'return_id', [returnId]);
  const refundIds = own.map((e) => textOf(e.data, 'refund_id')).filter(Boolean);
  return mergeEvents(own, await getEventsByReference(a, 'refund_id', refundIds));
}

export function mergeEvents(...lists: StoredEvent[][]): StoredEvent[] {
  const byId = new Map<string, StoredEvent>();
  for (const e of lists.flat()) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort(
    (x, y) => x.occurredAt.localeCompare(y.occurredAt) || x.receivedAt.localeCompare(y.receivedAt) || x.id.localeCompare(y.id),
  );
}
