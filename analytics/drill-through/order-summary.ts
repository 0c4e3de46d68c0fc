import type { StoredEvent } from '../queries/drill-through/events-by-reference';
import { linesOf, numberOf, textOf } from './payload-fields';

/** What the tower's events say about one order, for the header and the links of its page. */
export interface OrderSummary {
  orderId: string;
  /** null while its order.created has not been stored (it may arrive late). */
  createdAt: string | null;
  channel: string | null;
  region: string | null;
  currency: string;
  lines: { sku: string; qty: number; unitPrice: number; discount: number }[];
  grossSales: number;
  promisedShipBy: string | null;
  firstShippedAt: string | null;
  cancelledAt: string | null;
  deliveredAt: string | null;
  skus: string[];
  returnIds: string[];
  refundIds: string[];
}

export function summariseOrder(orderId: string, events: StoredEvent[]): OrderSummary {
  const created = events.find((e) => e.type === 'order.created');
  const first = (type: string) => events.find((e) => e.type === type)?.occurredAt ?? null;
  const lines = created
    ? linesOf(created.data).map((l) => ({
        sku: textOf(l, 'sku'),
        qty: numberOf(l, 'qty'),
        unitPrice: numberOf(l, 'unit_price'),
        discount: numberOf(l, 'discount'),
      }))
    : [];
  const distinct = (values: string[]) => [...new Set(values.filter(Boolean))];
  return {
    orderId,
    createdAt: created?.occurredAt ?? null,
    channel: created ? textOf(created.data, 'channel') : null,
    region: created ? textOf(created.data, 'region') || null : null,
    currency: (created && textOf(created.data, 'currency')) || 'USD',
    lines,
    grossSales: lines.reduce((s, l) => s + l.qty * l.unitPrice - l.discount, 0),
    promisedShipBy: created ? textOf(created.data, 'promised_ship_by') || null : null,
    firstShippedAt: first('order.shipped'),
    cancelledAt: first('order.cancelled'),
    deliveredAt: first('order.delivered'),
    skus: distinct(events.flatMap((e) => [textOf(e.data, 'sku'), ...linesOf(e.data).map((l) => textOf(l, 'sku'))])),
    returnIds: distinct(events.map((e) => textOf(e.data, 'return_id'))),
    refundIds: distinct(events.map((e) => textOf(e.data, 'refund_id'))),
  };
}
