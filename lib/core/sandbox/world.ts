import type { RandomState } from './random';
import type { Disposition, HoldReason, ReturnReasonCode, ShipmentExceptionKind, SkuQty } from './sandbox-events';

/**
 * The retailer's working state. Times are epoch milliseconds. `next_at` is when the entity's
 * next lifecycle step is due (null once it has reached a final state).
 */
export type OrderStatus =
  | 'created'
  | 'payment_failed'
  | 'held'
  | 'ready'
  | 'backordered'
  | 'allocated'
  | 'picking'
  | 'picked'
  | 'shipped'
  | 'delivered'
  | 'cancelled'
  | 'lost';

export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ['delivered', 'cancelled', 'lost'];

export interface OrderLine {
  sku: string;
  qty: number;
  unit_price: number;
  unit_cost: number;
  /** Whole-line discount in money, as EVENTS.md defines it. */
  discount: number;
  qty_picked: number;
  qty_shipped: number;
}

export interface Pick {
  pick_id: string;
  order_id: string;
  warehouse: string;
  status: 'open' | 'completed';
  wave: string;
  zone: string;
  picker: string | null;
  errors: number;
  created_at: number;
  due_by: number;
  completed_at: number | null;
  lines: { sku: string; qty_required: number; qty_picked: number }[];
}

export interface Shipment {
  shipment_id: string;
  order_id: string;
  warehouse: string;
  carrier: string;
  service: string;
  tracking: string;
  shipping_cost: number;
  status: 'in_transit' | 'exception' | 'delivered' | 'lost';
  /** An exception decided at dispatch, raised at `exception_at` while in transit. */
  planned_exception: ShipmentExceptionKind | null;
  exception_at: number | null;
  shipped_at: number;
  eta: number;
  delivered_at: number | null;
  lines: SkuQty[];
}

export interface Order {
  order_id: string;
  channel: string;
  customer_id: string;
  segment: string;
  region: string;
  currency: string;
  payment_method: string;
  status: OrderStatus;
  hold_reason: HoldReason | null;
  /** What the hold review will conclude; decided when the hold is placed. */
  hold_outcome: 'release' | 'cancel' | null;
  warehouse: string | null;
  created_at: number;
  promised_ship_by: number;
  promised_delivery_by: number;
  shipping_charged: number;
  amount: number;
  backordered_at: number | null;
  /** Extra hours the warehouse will take (a late order), decided at allocation. */
  delay_hours: number;
  /** An ops lead asked for it to go sooner: no warehouse delay, express service. */
  expedited: boolean;
  next_at: number | null;
  lines: OrderLine[];
  pick: Pick | null;
  shipment: Shipment | null;
}

export interface ReturnLine {
  sku: string;
  qty: number;
  reason_code: ReturnReasonCode;
  /** Net price paid per unit (after discount): what the refund pays back. */
  unit_price: number;
  condition: string | null;
  disposition: Disposition | null;
  recovery_value: number | null;
}

export type ReturnStatus = 'pending' | 'requested' | 'authorized' | 'rejected' | 'received' | 'inspected';

export interface ReturnCase {
  return_id: string;
  order_id: string;
  channel: string;
  warehouse: string;
  payment_method: string;
  status: ReturnStatus;
  requested_at: number;
  refund_id: string | null;
  next_at: number | null;
  lines: ReturnLine[];
}

export type RefundStatus = 'pending' | 'requested' | 'approved' | 'rejected' | 'issued';

export interface Refund {
  refund_id: string;
  order_id: string;
  return_id: string | null;
  amount: number;
  method: string;
  status: RefundStatus;
  outcome: 'approve' | 'reject';
  requested_at: number;
  next_at: number | null;
}

export interface PurchaseOrder {
  po_id: string;
  supplier: string;
  warehouse: string;
  status: 'open' | 'received';
  created_at: number;
  expected_at: number;
  arrives_at: number;
  lines: { sku: string; qty: number; unit_cost: number; qty_received: number }[];
}

export interface StockLevel {
  warehouse: string;
  sku: string;
  on_hand: number;
  reserved: number;
  last_received_at: number | null;
  last_counted_at: number | null;
}

export interface Counters {
  order: number;
  pick: number;
  shipment: number;
  return: number;
  refund: number;
  po: number;
  customer: number;
}

/** Everything that is not an entity: the clock, the generator, the id counters. */
export interface WorldMeta {
  seed: number;
  clock: number;
  rng: RandomState;
  counters: Counters;
}

export interface World {
  meta: WorldMeta;
  orders: Map<string, Order>;
  returns: Map<string, ReturnCase>;
  refunds: Map<string, Refund>;
  pos: Map<string, PurchaseOrder>;
  stock: Map<string, StockLevel>;
  /** Entities changed since the last save. */
  dirty: {
    orders: Set<string>;
    returns: Set<string>;
    refunds: Set<string>;
    pos: Set<string>;
    stock: Set<string>;
  };
}

export function stockKey(warehouse: string, sku: string): string {
  return `${warehouse}|${sku}`;
}

export function emptyWorld(meta: WorldMeta): World {
  return {
    meta,
    orders: new Map(),
    returns: new Map(),
    refunds: new Map(),
    pos: new Map(),
    stock: new Map(),
    dirty: { orders: new Set(), returns: new Set(), refunds: new Set(), pos: new Set(), stock: new Set() },
  };
}

/** Units of a line still to ship: all of them, unless part went out in a split shipment. */
export function unitsToShip(l: OrderLine): number {
  return l.qty - l.qty_shipped;
}

export function isFinalOrder(o: Order): boolean {
  return FINAL_ORDER_STATUSES.includes(o.status);
}

export function isFinalReturn(r: ReturnCase): boolean {
  return r.status === 'rejected' || r.status === 'inspected';
}

export function isFinalRefund(r: Refund): boolean {
  return r.status === 'rejected' || r.status === 'issued';
}
