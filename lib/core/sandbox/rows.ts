import { z } from 'zod';
import type { SandboxEvent, SandboxEventData, SandboxEventType } from './sandbox-events';
import type { Order, Pick, PurchaseOrder, Refund, ReturnCase, Shipment, StockLevel, WorldMeta } from './world';

/**
 * How state maps to rows and back. Rows are parsed with zod on the way in because PGlite and
 * node-postgres disagree on numeric, bigint and jsonb representations.
 */
const ms = z.coerce.date().transform((d) => d.getTime());
const msOrNull = z.union([z.null(), ms]);
const money = z.coerce.number();
const json = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' ? JSON.parse(v) : v), schema);
const text = z.string();
const textOrNull = z.string().nullable();

export const metaSchema = json(
  z.object({
    seed: z.number().int(),
    clock: z.number(),
    rng: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    counters: z.object({ order: z.number(), pick: z.number(), shipment: z.number(), return: z.number(), refund: z.number(), po: z.number(), customer: z.number() }),
  }),
);

const orderLine = z.object({ sku: text, qty: z.number().int(), unit_price: z.number(), unit_cost: z.number(), discount: z.number(), qty_picked: z.number().int(), qty_shipped: z.number().int() });
const skuQty = z.object({ sku: text, qty: z.number().int() });

export const orderRow = z.object({
  order_id: text,
  channel: text,
  customer_id: text,
  segment: text,
  region: text,
  currency: text,
  payment_method: text,
  status: z.enum(['created', 'payment_failed', 'held', 'ready', 'backordered', 'allocated', 'picking', 'picked', 'shipped', 'delivered', 'cancelled', 'lost']),
  hold_reason: z.enum(['fraud_review', 'payment', 'address', 'credit', 'manual']).nullable(),
  hold_outcome: z.enum(['release', 'cancel']).nullable(),
  warehouse: textOrNull,
  created_at: ms,
  promised_ship_by: ms,
  promised_delivery_by: ms,
  shipping_charged: money,
  amount: money,
  backordered_at: msOrNull,
  delay_hours: z.coerce.number(),
  expedited: z.boolean(),
  next_step_at: msOrNull,
  lines: json(z.array(orderLine)),
});

export const pickRow = z.object({
  pick_id: text,
  order_id: text,
  warehouse: text,
  status: z.enum(['open', 'completed']),
  wave: text,
  zone: text,
  picker: textOrNull,
  errors: z.coerce.number().int(),
  created_at: ms,
  due_by: ms,
  completed_at: msOrNull,
  lines: json(z.array(z.object({ sku: text, qty_required: z.number().int(), qty_picked: z.number().int() }))),
});

export const shipmentRow = z.object({
  shipment_id: text,
  order_id: text,
  warehouse: text,
  carrier: text,
  service: text,
  tracking: text,
  shipping_cost: money,
  status: z.enum(['in_transit', 'exception', 'delivered', 'lost']),
  planned_exception: z.enum(['delay', 'lost', 'damaged', 'address']).nullable(),
  exception_at: msOrNull,
  shipped_at: ms,
  eta: ms,
  delivered_at: msOrNull,
  lines: json(z.array(skuQty)),
});

export const returnRow = z.object({
  return_id: text,
  order_id: text,
  channel: text,
  warehouse: text,
  payment_method: text,
  status: z.enum(['pending', 'requested', 'authorized', 'rejected', 'received', 'inspected']),
  requested_at: ms,
  refund_id: textOrNull,
  next_step_at: msOrNull,
  lines: json(
    z.array(
      z.object({
        sku: text,
        qty: z.number().int(),
        reason_code: z.enum(['size', 'damaged', 'wrong_item', 'not_as_described', 'changed_mind', 'late', 'defective']),
        unit_price: z.number(),
        condition: textOrNull,
        disposition: z.enum(['restock', 'refurbish', 'vendor_claim', 'liquidate', 'scrap']).nullable(),
        recovery_value: z.number().nullable(),
      }),
    ),
  ),
});

export const refundRow = z.object({
  refund_id: text,
  order_id: text,
  return_id: textOrNull,
  amount: money,
  method: text,
  status: z.enum(['pending', 'requested', 'approved', 'rejected', 'issued']),
  outcome: z.enum(['approve', 'reject']),
  requested_at: ms,
  next_step_at: msOrNull,
});

export const purchaseOrderRow = z.object({
  po_id: text,
  supplier: text,
  warehouse: text,
  status: z.enum(['open', 'received']),
  created_at: ms,
  expected_at: ms,
  arrives_at: ms,
  lines: json(z.array(z.object({ sku: text, qty: z.number().int(), unit_cost: z.number(), qty_received: z.number().int() }))),
});

export const stockRow = z.object({
  warehouse: text,
  sku: text,
  on_hand: z.coerce.number().int(),
  reserved: z.coerce.number().int(),
  last_received_at: msOrNull,
  last_counted_at: msOrNull,
});

const eventTypes = [
  'order.created', 'order.payment_authorized', 'order.payment_failed', 'order.held', 'order.released', 'order.allocated',
  'order.backordered', 'order.cancelled', 'order.shipped', 'shipment.exception', 'order.delivered', 'pick.created',
  'pick.completed', 'stock.received', 'stock.adjusted', 'stock.snapshot', 'po.created', 'return.requested',
  'return.authorized', 'return.rejected', 'return.received', 'return.inspected', 'refund.requested', 'refund.approved',
  'refund.issued', 'refund.rejected', 'product.updated',
] as const satisfies readonly SandboxEventType[];

/** Outbox rows were written by this module from typed events; the payload shape is trusted, the envelope checked. */
export const outboxEvent = json(
  z.object({
    id: z.string().startsWith('sbx-'),
    type: z.enum(eventTypes),
    occurred_at: z.string(),
    source: z.literal('sandbox'),
    data: z.custom<SandboxEventData[SandboxEventType]>((v) => typeof v === 'object' && v !== null),
  }),
);

const at = (v: number | null) => (v === null ? null : new Date(v));

export function metaToValue(meta: WorldMeta): WorldMeta {
  return meta;
}

export function orderToRow(o: Order): Record<string, unknown> {
  return {
    order_id: o.order_id, channel: o.channel, customer_id: o.customer_id, segment: o.segment, region: o.region, currency: o.currency,
    payment_method: o.payment_method, status: o.status, hold_reason: o.hold_reason, hold_outcome: o.hold_outcome, warehouse: o.warehouse,
    created_at: at(o.created_at), promised_ship_by: at(o.promised_ship_by), promised_delivery_by: at(o.promised_delivery_by),
    shipping_charged: o.shipping_charged, amount: o.amount, backordered_at: at(o.backordered_at), delay_hours: o.delay_hours,
    expedited: o.expedited, next_step_at: at(o.next_at), lines: o.lines,
  };
}

export function pickToRow(p: Pick): Record<string, unknown> {
  return { ...p, created_at: at(p.created_at), due_by: at(p.due_by), completed_at: at(p.completed_at), lines: p.lines };
}

export function shipmentToRow(s: Shipment): Record<string, unknown> {
  return { ...s, exception_at: at(s.exception_at), shipped_at: at(s.shipped_at), eta: at(s.eta), delivered_at: at(s.delivered_at), lines: s.lines };
}

export function returnToRow(r: ReturnCase): Record<string, unknown> {
  const { next_at, ...rest } = r;
  return { ...rest, requested_at: at(r.requested_at), next_step_at: at(next_at), lines: r.lines };
}

export function refundToRow(r: Refund): Record<string, unknown> {
  const { next_at, ...rest } = r;
  return { ...rest, requested_at: at(r.requested_at), next_step_at: at(next_at) };
}

export function purchaseOrderToRow(p: PurchaseOrder): Record<string, unknown> {
  return { ...p, created_at: at(p.created_at), expected_at: at(p.expected_at), arrives_at: at(p.arrives_at), lines: p.lines };
}

export function stockToRow(s: StockLevel): Record<string, unknown> {
  return { ...s, last_received_at: at(s.last_received_at), last_counted_at: at(s.last_counted_at) };
}

export function eventToOutboxRow(e: SandboxEvent): Record<string, unknown> {
  return { event_id: e.id, event: e };
}
