import type { Carrier } from './catalogue';
import { planReturn, requestRefund } from './after-sales';
import { allocate, dispatchUnits, expectedRestock, shortages, unreserve, writeOffMissing } from './inventory';
import type { HoldReason, ShipmentExceptionKind } from './sandbox-events';
import { DAY, HOUR, MINUTE, iso, round2, type SimContext } from './sim-context';
import { unitsToShip, type Order } from './world';

/**
 * One order's lifecycle: payment → (hold) → allocation or backorder → pick → ship → (exception)
 * → delivery. Each call performs the step that is due at `at` and plans the next one.
 */
export function advanceOrder(ctx: SimContext, order: Order, at: number): void {
  switch (order.status) {
    case 'created':
      return checkPayment(ctx, order, at);
    case 'payment_failed':
      return cancel(ctx, order, at, 'payment_failed', 'system');
    case 'held':
      return reviewHold(ctx, order, at);
    case 'ready':
    case 'backordered':
      return tryAllocate(ctx, order, at);
    case 'allocated':
      return createPick(ctx, order, at);
    case 'picking':
      return completePick(ctx, order, at);
    case 'picked':
      return ship(ctx, order, at);
    case 'shipped':
      return progressShipment(ctx, order, at);
    default:
      order.next_at = null;
  }
}

/** An expedited order's warehouse steps follow each other this quickly. */
export const EXPEDITED_STEP = 20 * MINUTE;

function plan(ctx: SimContext, order: Order, at: number | null): void {
  order.next_at = at;
  ctx.world.dirty.orders.add(order.order_id);
  if (at !== null) ctx.schedule('order', order.order_id, at);
}

const HOLD_CHANCE: Record<string, readonly (readonly [HoldReason, number])[]> = {
  web: [['fraud_review', 0.03], ['address', 0.015], ['payment', 0.01]],
  amazon: [['address', 0.005]],
  zalando: [['address', 0.005]],
  b2b: [['credit', 0.04]],
};

function checkPayment(ctx: SimContext, order: Order, at: number): void {
  if (order.channel === 'web' && ctx.rng.chance(0.02)) {
    order.status = 'payment_failed';
    ctx.emit('order.payment_failed', at, { order_id: order.order_id, reason: ctx.rng.pick(['card_declined', 'insufficient_funds', 'authentication_failed']) });
    return plan(ctx, order, at + ctx.rng.between(1, 5) * MINUTE);
  }
  ctx.emit('order.payment_authorized', at, { order_id: order.order_id, amount: order.amount });
  for (const [reason, p] of HOLD_CHANCE[order.channel] ?? []) {
    if (!ctx.rng.chance(p)) continue;
    order.status = 'held';
    order.hold_reason = reason;
    order.hold_outcome = ctx.rng.chance(reason === 'fraud_review' ? 0.15 : 0.08) ? 'cancel' : 'release';
    ctx.emit('order.held', at, { order_id: order.order_id, reason });
    const reviewHours = reason === 'fraud_review' ? ctx.rng.between(0.3, 6) : ctx.rng.between(0.2, 4);
    return plan(ctx, order, at + reviewHours * HOUR);
  }
  order.status = 'ready';
  plan(ctx, order, at + ctx.rng.between(1, 10) * MINUTE);
}

function reviewHold(ctx: SimContext, order: Order, at: number): void {
  if (order.hold_outcome === 'cancel') {
    const reason = order.hold_reason === 'fraud_review' ? 'fraud_suspected' : order.hold_reason === 'credit' ? 'credit_limit' : 'address_unverified';
    return cancel(ctx, order, at, reason, 'seller');
  }
  ctx.emit('order.released', at, { order_id: order.order_id, by: order.hold_reason === 'fraud_review' ? 'risk-team' : 'ops-auto' });
  order.status = 'ready';
  order.hold_reason = null;
  order.hold_outcome = null;
  plan(ctx, order, at + ctx.rng.between(1, 10) * MINUTE);
}

function tryAllocate(ctx: SimContext, order: Order, at: number): void {
  const fresh = order.status === 'ready';
  if (fresh && ctx.rng.chance(0.015)) return cancel(ctx, order, at, 'changed_mind', 'customer');
  if (!fresh && order.backordered_at !== null) {
    const waitedDays = (at - order.backordered_at) / DAY;
    if (waitedDays > 21) return cancel(ctx, order, at, 'out_of_stock', 'seller');
    if (ctx.rng.chance(0.004)) return cancel(ctx, order, at, 'backorder_delay', 'customer');
  }
  const warehouse = allocate(ctx, order);
  if (warehouse) {
    order.status = 'allocated';
    order.warehouse = warehouse;
    // A few orders get stuck in the warehouse long enough to miss their promise.
    const delay = ctx.rng.chance(0.03) ? ctx.rng.between(18, 40) : 0;
    order.delay_hours = order.expedited ? 0 : delay;
    ctx.emit('order.allocated', at, { order_id: order.order_id, warehouse, lines: openLines(order).map((l) => ({ sku: l.sku, qty: unitsToShip(l) })) });
    return plan(ctx, order, at + (order.expedited ? EXPEDITED_STEP : ctx.rng.between(10, 90) * MINUTE));
  }
  if (fresh) {
    const short = shortages(ctx, order);
    const etas = short.lines.map((l) => expectedRestock(ctx, short.warehouse, l.sku) ?? at + 7 * DAY);
    order.status = 'backordered';
    order.backordered_at = at;
    ctx.emit('order.backordered', at, { order_id: order.order_id, warehouse: short.warehouse, expected_at: iso(Math.max(...etas)), lines: short.lines });
  }
  plan(ctx, order, at + HOUR);
}

/** The lines with units still to ship (every line, unless a split shipment sent part already). */
function openLines(order: Order) {
  return order.lines.filter((l) => unitsToShip(l) > 0);
}

function cancel(ctx: SimContext, order: Order, at: number, reason: string, initiatedBy: 'customer' | 'seller' | 'system'): void {
  if (order.warehouse && (order.status === 'allocated' || order.status === 'picking')) {
    for (const l of order.lines) unreserve(ctx, order.warehouse, l.sku, l.qty - l.qty_shipped);
  }
  order.status = 'cancelled';
  ctx.emit('order.cancelled', at, { order_id: order.order_id, reason, initiated_by: initiatedBy });
  plan(ctx, order, null);
}

function createPick(ctx: SimContext, order: Order, at: number): void {
  if (ctx.rng.chance(0.005)) return cancel(ctx, order, at, 'changed_mind', 'customer');
  const warehouse = order.warehouse ?? 'WH-EAST';
  const hour = iso(at).slice(0, 13).replace(/[-T]/g, '');
  const pick = {
    pick_id: ctx.nextId('pick'),
    order_id: order.order_id,
    warehouse,
    status: 'open' as const,
    wave: `W-${warehouse.slice(3)}-${hour}`,
    zone: `Z${ctx.rng.int(1, 4)}`,
    picker: null,
    errors: 0,
    created_at: at,
    due_by: Math.min(order.promised_ship_by - 2 * HOUR, at + 8 * HOUR),
    completed_at: null,
    lines: openLines(order).map((l) => ({ sku: l.sku, qty_required: unitsToShip(l), qty_picked: 0 })),
  };
  order.pick = pick;
  order.status = 'picking';
  ctx.emit('pick.created', at, { pick_id: pick.pick_id, order_id: order.order_id, warehouse, lines: pick.lines.map((l) => ({ sku: l.sku, qty: l.qty_required })), wave: pick.wave, zone: pick.zone, due_by: iso(pick.due_by) });
  plan(ctx, order, at + (order.expedited ? EXPEDITED_STEP : ctx.rng.between(15, 240) * MINUTE + order.delay_hours * HOUR));
}

function completePick(ctx: SimContext, order: Order, at: number): void {
  const warehouse = order.warehouse ?? 'WH-EAST';
  const pick = order.pick;
  const lines = openLines(order);
  for (const l of order.lines) l.qty_picked = 0;
  for (const l of lines) {
    const short = ctx.rng.chance(0.004) ? ctx.rng.int(1, unitsToShip(l)) : 0;
    l.qty_picked = unitsToShip(l) - short;
    if (short > 0) writeOffMissing(ctx, warehouse, l.sku, short, at);
  }
  const picker = `picker-${warehouse.slice(3).toLowerCase()}-${String(ctx.rng.int(1, 24)).padStart(2, '0')}`;
  const errors = ctx.rng.chance(0.015) ? 1 : 0;
  if (pick) {
    pick.status = 'completed';
    pick.picker = picker;
    pick.errors = errors;
    pick.completed_at = at;
    pick.lines = lines.map((l) => ({ sku: l.sku, qty_required: unitsToShip(l), qty_picked: l.qty_picked }));
  }
  ctx.emit('pick.completed', at, {
    pick_id: pick?.pick_id ?? `${order.order_id}-pick`,
    order_id: order.order_id,
    warehouse,
    lines: lines.map((l) => ({ sku: l.sku, qty_required: unitsToShip(l), qty_picked: l.qty_picked })),
    picker,
    errors,
  });
  order.status = 'picked';
  if (lines.every((l) => l.qty_picked === 0)) return cancel(ctx, order, at, 'out_of_stock', 'seller');
  plan(ctx, order, at + (order.expedited ? EXPEDITED_STEP : ctx.rng.between(30, 360) * MINUTE));
}

const CARRIER_MIX: readonly (readonly [Carrier, number])[] = [
  ['ups', 0.35],
  ['fedex', 0.25],
  ['usps', 0.25],
  ['dhl', 0.15],
];
const EXCEPTION_MIX: readonly (readonly [ShipmentExceptionKind | null, number])[] = [
  [null, 0.96],
  ['delay', 0.025],
  ['address', 0.005],
  ['damaged', 0.006],
  ['lost', 0.004],
];

function ship(ctx: SimContext, order: Order, at: number): void {
  const warehouse = order.warehouse ?? 'WH-EAST';
  const carrier = ctx.rng.weighted(CARRIER_MIX);
  const express = order.expedited || (order.channel !== 'b2b' && ctx.rng.chance(0.15));
  const units = order.lines.reduce((a, l) => a + l.qty_picked, 0);
  const lines = order.lines.filter((l) => l.qty_picked > 0).map((l) => ({ sku: l.sku, qty: l.qty_picked }));
  for (const l of order.lines) {
    // Units that could not be picked were written off with their reservation at the pick.
    dispatchUnits(ctx, warehouse, l.sku, l.qty_picked);
    l.qty_shipped += l.qty_picked;
  }
  const transitDays = express ? ctx.rng.between(1, 2) : ctx.rng.between(2, 4.5);
  const exception = ctx.rng.weighted(EXCEPTION_MIX);
  const shipment = {
    shipment_id: ctx.nextId('shipment'),
    order_id: order.order_id,
    warehouse,
    carrier,
    service: express ? 'express' : 'ground',
    tracking: `${carrier.toUpperCase()}${ctx.rng.int(100_000, 999_999)}${ctx.rng.int(100_000, 999_999)}`,
    shipping_cost: round2((express ? 14 : 5.5) + units * ctx.rng.between(0.6, 1.4)),
    status: 'in_transit' as const,
    planned_exception: exception,
    exception_at: exception ? at + transitDays * DAY * ctx.rng.between(0.3, 0.8) : null,
    shipped_at: at,
    eta: at + transitDays * DAY,
    delivered_at: null,
    lines,
  };
  order.shipment = shipment;
  order.status = 'shipped';
  ctx.emit('order.shipped', at, {
    order_id: order.order_id,
    shipment_id: shipment.shipment_id,
    warehouse,
    carrier,
    service: shipment.service,
    tracking: shipment.tracking,
    shipping_cost: shipment.shipping_cost,
    lines,
  });
  const shortValue = order.lines.reduce((a, l) => a + (l.qty - l.qty_shipped) * (l.unit_price - l.discount / l.qty), 0);
  if (shortValue > 0) requestRefund(ctx, { order, amount: round2(shortValue), at: at + ctx.rng.between(10, 120) * MINUTE, returnId: null });
  plan(ctx, order, shipment.exception_at ?? shipment.eta);
}

function progressShipment(ctx: SimContext, order: Order, at: number): void {
  const shipment = order.shipment;
  if (!shipment) return plan(ctx, order, null);
  if (shipment.planned_exception && shipment.status === 'in_transit') {
    const kind = shipment.planned_exception;
    shipment.status = 'exception';
    if (kind === 'lost') {
      ctx.emit('shipment.exception', at, { shipment_id: shipment.shipment_id, order_id: order.order_id, carrier: shipment.carrier, kind });
      shipment.status = 'lost';
      order.status = 'lost';
      requestRefund(ctx, { order, amount: order.amount, at: at + ctx.rng.between(1, 3) * DAY, returnId: null });
      return plan(ctx, order, null);
    }
    if (kind === 'delay' || kind === 'address') shipment.eta += ctx.rng.between(1, 3) * DAY;
    ctx.emit('shipment.exception', at, { shipment_id: shipment.shipment_id, order_id: order.order_id, carrier: shipment.carrier, kind, new_eta: iso(shipment.eta) });
    return plan(ctx, order, Math.max(shipment.eta, at + HOUR));
  }
  shipment.status = 'delivered';
  shipment.delivered_at = at;
  order.status = 'delivered';
  ctx.emit('order.delivered', at, { order_id: order.order_id, shipment_id: shipment.shipment_id });
  planReturn(ctx, order, at);
  plan(ctx, order, null);
}
