import { CoreRefusal } from '../../transactional-core';
import { CARRIERS, regionByName } from '../catalogue';
import { expectedRestock, stockLevel } from '../inventory';
import { DAY, iso, round2, type SimContext } from '../sim-context';
import { stockKey, unitsToShip, type Order, type Shipment } from '../world';
import { orderStatusWords, replanOrder } from './order-actions';

/**
 * Ships what the order's home warehouse has now and leaves the rest backordered. The order stays
 * backordered for the remainder: its normal flow allocates, picks and ships only what is left, and
 * its delivery is reported when the last part arrives.
 */
export function splitShipment(ctx: SimContext, order: Order, at: number): string {
  if (order.status !== 'backordered') {
    throw new CoreRefusal('invalid_state', `Order ${order.order_id} is not backordered (it is ${orderStatusWords(order.status)}); only a backordered order ships in part.`);
  }
  const warehouse = regionByName(order.region).warehouse;
  const plan = order.lines.map((l) => {
    const level = stockLevel(ctx, warehouse, l.sku);
    return { line: l, now: Math.min(unitsToShip(l), Math.max(0, level.on_hand - level.reserved)) };
  });
  if (plan.every((p) => p.now === 0)) {
    throw new CoreRefusal('invalid_state', `${warehouse} has none of order ${order.order_id}'s units free now; nothing can ship yet (try reallocating to another warehouse).`);
  }
  if (plan.every((p) => p.now === unitsToShip(p.line))) {
    throw new CoreRefusal('invalid_state', `${warehouse} has all of order ${order.order_id} in stock; it needs no split and will be allocated within the hour (or reallocate it now).`);
  }
  const shipped = plan.filter((p) => p.now > 0).map((p) => ({ sku: p.line.sku, qty: p.now }));
  for (const p of plan) {
    if (p.now === 0) continue;
    const level = stockLevel(ctx, warehouse, p.line.sku);
    level.on_hand -= p.now;
    ctx.world.dirty.stock.add(stockKey(warehouse, p.line.sku));
    p.line.qty_shipped += p.now;
  }
  const carrier = ctx.rng.pick(CARRIERS);
  const express = order.expedited;
  const units = shipped.reduce((a, l) => a + l.qty, 0);
  const shipment: Shipment = {
    shipment_id: ctx.nextId('shipment'),
    order_id: order.order_id,
    warehouse,
    carrier,
    service: express ? 'express' : 'ground',
    tracking: `${carrier.toUpperCase()}${ctx.rng.int(100_000, 999_999)}${ctx.rng.int(100_000, 999_999)}`,
    shipping_cost: round2((express ? 14 : 5.5) + units),
    status: 'in_transit',
    planned_exception: null,
    exception_at: null,
    shipped_at: at,
    eta: at + (express ? 1.5 : 3) * DAY,
    delivered_at: null,
    lines: shipped,
  };
  order.shipment = shipment;
  ctx.emit('order.shipped', at, {
    order_id: order.order_id,
    shipment_id: shipment.shipment_id,
    warehouse,
    carrier,
    service: shipment.service,
    tracking: shipment.tracking,
    shipping_cost: shipment.shipping_cost,
    lines: shipped,
  });
  const rest = order.lines.filter((l) => unitsToShip(l) > 0).map((l) => ({ sku: l.sku, qty_short: unitsToShip(l) }));
  const eta = Math.max(...rest.map((l) => expectedRestock(ctx, warehouse, l.sku) ?? at + 7 * DAY));
  ctx.emit('order.backordered', at, { order_id: order.order_id, warehouse, expected_at: iso(eta), lines: rest });
  order.backordered_at = at;
  replanOrder(ctx, order, order.next_at ?? at + DAY / 24);
  const restUnits = rest.reduce((a, l) => a + l.qty_short, 0);
  return `Split order ${order.order_id}: shipped ${units} unit${units === 1 ? '' : 's'} from ${warehouse} now (${shipment.shipment_id}); ${restUnits} stay backordered until ${iso(eta).slice(0, 10)}.`;
}
