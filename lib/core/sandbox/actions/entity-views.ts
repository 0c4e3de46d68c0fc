import type { OrderView, RefundView, ReturnView, StockView } from '../../entity-views';
import { iso } from '../sim-context';
import { stockKey, type Order, type Refund, type ReturnCase, type World } from '../world';

/** The sandbox's entities as the core-neutral views the tower shows and audits. */
export function orderView(o: Order): OrderView {
  return {
    orderId: o.order_id,
    status: o.status,
    channel: o.channel,
    region: o.region,
    warehouse: o.warehouse,
    holdReason: o.hold_reason,
    expedited: o.expedited,
    amount: o.amount,
    currency: o.currency,
    createdAt: iso(o.created_at),
    promisedShipBy: iso(o.promised_ship_by),
    lines: o.lines.map((l) => ({ sku: l.sku, qty: l.qty, qtyShipped: l.qty_shipped })),
    pick: o.pick ? { pickId: o.pick.pick_id, status: o.pick.status, dueBy: iso(o.pick.due_by) } : null,
    shipment: o.shipment
      ? { shipmentId: o.shipment.shipment_id, carrier: o.shipment.carrier, service: o.shipment.service, status: o.shipment.status, eta: iso(o.shipment.eta) }
      : null,
  };
}

export function refundView(r: Refund): RefundView {
  return { refundId: r.refund_id, orderId: r.order_id, returnId: r.return_id, amount: r.amount, method: r.method, status: r.status, requestedAt: iso(r.requested_at) };
}

export function returnView(r: ReturnCase): ReturnView {
  return {
    returnId: r.return_id,
    orderId: r.order_id,
    status: r.status,
    warehouse: r.warehouse,
    refundId: r.refund_id,
    lines: r.lines.map((l) => ({ sku: l.sku, qty: l.qty, reasonCode: l.reason_code, condition: l.condition, disposition: l.disposition })),
  };
}

export function stockView(world: World, warehouse: string, sku: string): StockView {
  const level = world.stock.get(stockKey(warehouse, sku));
  let onOrder = 0;
  for (const po of world.pos.values()) {
    if (po.status !== 'open' || po.warehouse !== warehouse) continue;
    for (const l of po.lines) if (l.sku === sku) onOrder += l.qty;
  }
  const onHand = level?.on_hand ?? 0;
  const reserved = level?.reserved ?? 0;
  return { warehouse, sku, onHand, reserved, available: onHand - reserved, onOrder };
}
