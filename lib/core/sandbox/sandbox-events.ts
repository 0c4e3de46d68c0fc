/**
 * The events the sandbox emits, field for field as ../shared/EVENTS.md names them. Typing each
 * payload here makes a misspelt or missing field a compile error instead of a dead letter.
 */
export type HoldReason = 'fraud_review' | 'payment' | 'address' | 'credit' | 'manual';
export type CancelInitiator = 'customer' | 'seller' | 'system';
export type ShipmentExceptionKind = 'delay' | 'lost' | 'damaged' | 'address';
export type AdjustmentReason = 'cycle_count' | 'damage' | 'found' | 'shrink' | 'correction';
export type Disposition = 'restock' | 'refurbish' | 'vendor_claim' | 'liquidate' | 'scrap';
export type ReturnReasonCode = 'size' | 'damaged' | 'wrong_item' | 'not_as_described' | 'changed_mind' | 'late' | 'defective';

export interface SkuQty {
  sku: string;
  qty: number;
}

export interface SandboxEventData {
  'order.created': {
    order_id: string;
    channel: string;
    customer_id: string;
    segment: string;
    region: string;
    currency: string;
    payment_method: string;
    lines: { sku: string; qty: number; unit_price: number; unit_cost: number; discount?: number }[];
    shipping_charged: number;
    promised_ship_by: string;
    promised_delivery_by: string;
  };
  'order.payment_authorized': { order_id: string; amount: number };
  'order.payment_failed': { order_id: string; reason: string };
  'order.held': { order_id: string; reason: HoldReason; note?: string };
  'order.released': { order_id: string; by: string };
  'order.allocated': { order_id: string; warehouse: string; lines: SkuQty[] };
  'order.backordered': { order_id: string; warehouse: string; expected_at: string; lines: { sku: string; qty_short: number }[] };
  'order.cancelled': { order_id: string; reason: string; initiated_by: CancelInitiator };
  'order.shipped': {
    order_id: string;
    shipment_id: string;
    warehouse: string;
    carrier: string;
    service: string;
    tracking: string;
    shipping_cost: number;
    lines: SkuQty[];
  };
  'shipment.exception': { shipment_id: string; order_id: string; carrier: string; kind: ShipmentExceptionKind; new_eta?: string };
  'order.delivered': { order_id: string; shipment_id: string };
  'pick.created': { pick_id: string; order_id: string; warehouse: string; lines: SkuQty[]; wave: string; zone: string; due_by: string };
  'pick.completed': {
    pick_id: string;
    order_id: string;
    warehouse: string;
    lines: { sku: string; qty_required: number; qty_picked: number }[];
    picker: string;
    errors: number;
  };
  'product.updated': { sku: string; category: string; name: string; value_class: 'A' | 'B' | 'C'; unit_cost: number; supplier: string };
  /** Without po_id for the stock a retailer opens with. */
  'stock.received': { warehouse: string; sku: string; qty: number; unit_cost: number; po_id?: string; supplier: string };
  'stock.adjusted': { warehouse: string; sku: string; qty_delta: number; reason: AdjustmentReason; expected_qty?: number; counted_qty?: number };
  'stock.snapshot': { warehouse: string; sku: string; on_hand: number; reserved: number };
  'po.created': { po_id: string; supplier: string; warehouse: string; lines: { sku: string; qty: number; unit_cost: number }[]; expected_at: string };
  'return.requested': { return_id: string; order_id: string; channel: string; lines: { sku: string; qty: number; reason_code: ReturnReasonCode }[] };
  'return.authorized': { return_id: string };
  'return.rejected': { return_id: string; reason: string };
  'return.received': { return_id: string; warehouse: string; lines: { sku: string; qty: number; condition: string }[] };
  'return.inspected': { return_id: string; lines: { sku: string; qty: number; disposition: Disposition; recovery_value: number }[] };
  'refund.requested': { refund_id: string; order_id: string; amount: number; return_id?: string };
  'refund.approved': { refund_id: string; approver: string };
  'refund.issued': { refund_id: string; order_id: string; amount: number; method: string };
  'refund.rejected': { refund_id: string; reason: string };
}

export type SandboxEventType = keyof SandboxEventData;

export type SandboxEventOf<K extends SandboxEventType> = {
  id: string;
  type: K;
  /** ISO 8601 in UTC with a `Z`. */
  occurred_at: string;
  source: 'sandbox';
  data: SandboxEventData[K];
};

/** Any sandbox event; narrow on `type` with `isSandboxEvent` when the payload's shape matters. */
export type SandboxEvent = SandboxEventOf<SandboxEventType>;

export function isSandboxEvent<K extends SandboxEventType>(event: SandboxEvent, type: K): event is SandboxEventOf<K> {
  return event.type === type;
}

/**
 * Hands a chronological chunk of events to the tower and resolves once the tower has stored them.
 * `urgent` marks a person's action's events: someone is waiting for them to close the loop.
 */
export type EmitEvents = (events: SandboxEvent[], o?: { urgent: boolean }) => Promise<void>;
