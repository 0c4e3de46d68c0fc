import { CoreRefusal, type CoreCaller } from '../../transactional-core';
import { WAREHOUSES } from '../catalogue';
import { canReserve, reserveOrder, stockLevel, unreserve } from '../inventory';
import { EXPEDITED_STEP, advanceOrder } from '../order-flow';
import { MINUTE, type SimContext } from '../sim-context';
import { unitsToShip, type Order, type OrderStatus } from '../world';

/**
 * What an ops lead can do to an order in flight. Each function checks the order's state before
 * it changes anything, so a refusal leaves the world exactly as it was. Each returns the one-line
 * summary of what happened.
 */
export function replanOrder(ctx: SimContext, order: Order, at: number | null): void {
  order.next_at = at;
  ctx.world.dirty.orders.add(order.order_id);
  if (at !== null) ctx.schedule('order', order.order_id, at);
}

const STATUS_WORDS: Record<OrderStatus, string> = {
  created: 'awaiting payment',
  payment_failed: 'payment failed',
  held: 'on hold',
  ready: 'waiting for allocation',
  backordered: 'backordered',
  allocated: 'allocated',
  picking: 'being picked',
  picked: 'picked, waiting to ship',
  shipped: 'shipped',
  delivered: 'delivered',
  cancelled: 'cancelled',
  lost: 'lost in transit',
};

export function orderStatusWords(status: string): string {
  return STATUS_WORDS[status as OrderStatus] ?? status;
}

function refuse(order: Order, what: string): never {
  throw new CoreRefusal('invalid_state', `Order ${order.order_id} ${what} (it is ${orderStatusWords(order.status)})`);
}

export function releaseOrderHold(ctx: SimContext, order: Order, by: CoreCaller, at: number): string {
  if (order.status !== 'held') refuse(order, 'is not on hold');
  const reason = order.hold_reason ?? 'manual';
  ctx.emit('order.released', at, { order_id: order.order_id, by: by.name });
  order.status = 'ready';
  order.hold_reason = null;
  order.hold_outcome = null;
  replanOrder(ctx, order, at + MINUTE);
  return `Released order ${order.order_id} from its ${reason.replace('_', ' ')} hold; it goes to allocation within a minute.`;
}

const CANCELLABLE: readonly OrderStatus[] = ['created', 'payment_failed', 'held', 'ready', 'backordered', 'allocated', 'picking', 'picked'];

export function cancelOrder(ctx: SimContext, order: Order, reason: string, at: number): string {
  if (!CANCELLABLE.includes(order.status)) refuse(order, 'can no longer be cancelled');
  if (order.lines.some((l) => l.qty_shipped > 0)) refuse(order, 'has already shipped in part and can no longer be cancelled');
  const freed = freeReservation(ctx, order);
  order.status = 'cancelled';
  ctx.emit('order.cancelled', at, { order_id: order.order_id, reason, initiated_by: 'seller' });
  replanOrder(ctx, order, null);
  return `Cancelled order ${order.order_id}${freed ? `; ${freed} reserved unit${freed === 1 ? '' : 's'} back on the shelf at ${order.warehouse}` : ''}.`;
}

/** Gives back what the order holds in its warehouse; returns the units freed. */
function freeReservation(ctx: SimContext, order: Order): number {
  if (!order.warehouse) return 0;
  let freed = 0;
  for (const l of order.lines) {
    // Allocated and picking orders hold all they still need; a picked order holds what was picked.
    const held = order.status === 'allocated' || order.status === 'picking' ? unitsToShip(l) : order.status === 'picked' ? l.qty_picked : 0;
    if (held > 0) unreserve(ctx, order.warehouse, l.sku, held);
    freed += held;
  }
  return freed;
}

export function reallocateOrder(ctx: SimContext, order: Order, warehouse: string, at: number): string {
  if (!(WAREHOUSES as readonly string[]).includes(warehouse)) {
    throw new CoreRefusal('invalid_request', `There is no warehouse ${warehouse}; choose one of ${WAREHOUSES.join(', ')}.`);
  }
  if (order.status === 'picking' || order.status === 'picked') refuse(order, `is already being handled at ${order.warehouse}; it cannot move`);
  if (!['ready', 'backordered', 'allocated'].includes(order.status)) refuse(order, 'cannot be reallocated');
  if (order.warehouse === warehouse && order.status === 'allocated') {
    throw new CoreRefusal('invalid_request', `Order ${order.order_id} is already allocated to ${warehouse}.`);
  }
  if (!canReserve(ctx, warehouse, order)) {
    const short = order.lines
      .map((l) => ({ sku: l.sku, need: unitsToShip(l), free: Math.max(0, stockLevel(ctx, warehouse, l.sku).on_hand - stockLevel(ctx, warehouse, l.sku).reserved) }))
      .filter((l) => l.free < l.need)
      .map((l) => `${l.sku} needs ${l.need}, ${l.free} free`);
    throw new CoreRefusal('invalid_state', `${warehouse} lacks stock for order ${order.order_id}: ${short.join('; ')}.`);
  }
  const from = order.status === 'allocated' ? order.warehouse : null;
  if (from) for (const l of order.lines) unreserve(ctx, from, l.sku, unitsToShip(l));
  reserveOrder(ctx, warehouse, order);
  const wasWaiting = order.status !== 'allocated';
  order.status = 'allocated';
  order.warehouse = warehouse;
  ctx.emit('order.allocated', at, { order_id: order.order_id, warehouse, lines: order.lines.filter((l) => unitsToShip(l) > 0).map((l) => ({ sku: l.sku, qty: unitsToShip(l) })) });
  if (wasWaiting) {
    order.delay_hours = 0;
    replanOrder(ctx, order, at + 10 * MINUTE);
  } else {
    ctx.world.dirty.orders.add(order.order_id);
  }
  return from ? `Moved order ${order.order_id} from ${from} to ${warehouse}; stock reserved there and freed at ${from}.` : `Allocated order ${order.order_id} to ${warehouse}; stock reserved there.`;
}

const EXPEDITABLE: readonly OrderStatus[] = ['ready', 'allocated', 'picking', 'picked'];

/**
 * EVENTS.md has no "expedited" event, so none is invented: the order's next step happens now
 * (its normal event comes out at once), later steps follow quickly, and it ships express.
 */
export function expediteOrder(ctx: SimContext, order: Order, at: number): string {
  if (order.status === 'held') refuse(order, 'is on hold; release the hold first');
  if (order.status === 'backordered') refuse(order, 'has no stock to ship; reallocate it to a warehouse with stock or split the shipment');
  if (!EXPEDITABLE.includes(order.status)) refuse(order, 'cannot be expedited');
  if (order.expedited) refuse(order, 'is already expedited');
  const from = order.status;
  order.expedited = true;
  order.delay_hours = 0;
  advanceOrder(ctx, order, at);
  if (EXPEDITABLE.includes(order.status) && order.next_at !== null && order.next_at > at + EXPEDITED_STEP) replanOrder(ctx, order, at + EXPEDITED_STEP);
  ctx.world.dirty.orders.add(order.order_id);
  return `Expedited order ${order.order_id}: ${orderStatusWords(from)} → ${orderStatusWords(order.status)} now; each next step within 20 minutes, shipping express (no separate event: its normal events come sooner).`;
}
