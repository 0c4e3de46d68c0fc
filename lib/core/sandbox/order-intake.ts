import { REGIONS, drawSku, type Channel } from './catalogue';
import { HOUR, iso, round2, type SimContext } from './sim-context';
import type { Order, OrderLine } from './world';

/** How new orders look: channel mix, basket sizes, discounts, promises. */
const CHANNEL_MIX: readonly (readonly [Channel, number])[] = [
  ['web', 0.5],
  ['amazon', 0.25],
  ['zalando', 0.17],
  ['b2b', 0.08],
];
const CONSUMER_LINES: readonly (readonly [number, number])[] = [
  [1, 0.6],
  [2, 0.25],
  [3, 0.1],
  [4, 0.05],
];
const CONSUMER_QTY: readonly (readonly [number, number])[] = [
  [1, 0.85],
  [2, 0.12],
  [3, 0.03],
];
const B2B_LINES: readonly [number, number] = [2, 6];
const B2B_QTY: readonly [number, number] = [3, 12];
const SHIP_PROMISE_HOURS: Record<Channel, number> = { web: 24, amazon: 24, zalando: 36, b2b: 48 };
const DELIVERY_PROMISE_DAYS: Record<Channel, number> = { web: 3, amazon: 3, zalando: 4, b2b: 5 };
const DISCOUNT_CHANCE: Record<Channel, number> = { web: 0.2, amazon: 0.05, zalando: 0.1, b2b: 1 };
/** Returning customers come from a fixed pool; new ones get fresh ids. */
const CUSTOMER_POOL = 60_000;

function mean(options: readonly (readonly [number, number])[]): number {
  const total = options.reduce((a, [, w]) => a + w, 0);
  return options.reduce((a, [v, w]) => a + v * w, 0) / total;
}

/** Units an average order carries, so replenishment can size to the order rate. */
export const expectedUnitsPerOrder = (() => {
  const b2bShare = CHANNEL_MIX.find(([c]) => c === 'b2b')?.[1] ?? 0;
  const consumer = mean(CONSUMER_LINES) * mean(CONSUMER_QTY);
  const b2b = ((B2B_LINES[0] + B2B_LINES[1]) / 2) * ((B2B_QTY[0] + B2B_QTY[1]) / 2);
  return (1 - b2bShare) * consumer + b2bShare * b2b;
})();

/** A stable pseudo-random fraction for a customer number, so a customer keeps their region and tier. */
function customerHash(n: number): number {
  return (Math.imul(n, 2654435761) >>> 0) / 4294967296;
}

function regionFor(fraction: number): string {
  let r = fraction;
  for (const region of REGIONS) {
    r -= region.weight;
    if (r < 0) return region.name;
  }
  return REGIONS[REGIONS.length - 1].name;
}

function customer(ctx: SimContext, channel: Channel): { customer_id: string; segment: string; region: string } {
  if (channel === 'b2b') {
    const n = ctx.rng.int(1, 400);
    return { customer_id: `B2B-${String(n).padStart(5, '0')}`, segment: 'business', region: regionFor(customerHash(n + 7)) };
  }
  if (ctx.rng.chance(0.3)) {
    const id = ctx.nextId('customer');
    return { customer_id: id, segment: 'new', region: regionFor(ctx.rng.next()) };
  }
  const n = ctx.rng.int(1, CUSTOMER_POOL);
  const h = customerHash(n);
  return { customer_id: `CUS-${String(n).padStart(7, '0')}`, segment: h < 0.08 ? 'vip' : 'returning', region: regionFor((h * 97) % 1) };
}

function paymentMethod(ctx: SimContext, channel: Channel): string {
  if (channel === 'b2b') return 'invoice';
  if (channel !== 'web') return 'marketplace';
  return ctx.rng.weighted([
    ['card', 0.7],
    ['paypal', 0.2],
    ['apple_pay', 0.1],
  ]);
}

/** A customer places an order at `at`; its payment is checked within the minute. */
export function placeOrder(ctx: SimContext, at: number): Order {
  const channel = ctx.rng.weighted(CHANNEL_MIX);
  const who = customer(ctx, channel);
  const lineCount = channel === 'b2b' ? ctx.rng.int(B2B_LINES[0], B2B_LINES[1]) : ctx.rng.weighted(CONSUMER_LINES);
  const lines: OrderLine[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lineCount * 3 && lines.length < lineCount; i++) {
    const sku = drawSku(ctx.catalogue, ctx.rng);
    if (seen.has(sku.sku)) continue;
    seen.add(sku.sku);
    const qty = channel === 'b2b' ? ctx.rng.int(B2B_QTY[0], B2B_QTY[1]) : ctx.rng.weighted(CONSUMER_QTY);
    const pct = ctx.rng.chance(DISCOUNT_CHANCE[channel]) ? (channel === 'b2b' ? ctx.rng.between(0.08, 0.15) : ctx.rng.between(0.1, 0.25)) : 0;
    lines.push({ sku: sku.sku, qty, unit_price: sku.price, unit_cost: sku.cost, discount: round2(qty * sku.price * pct), qty_picked: 0, qty_shipped: 0 });
  }
  const merchandise = lines.reduce((a, l) => a + l.qty * l.unit_price - l.discount, 0);
  const shipping = channel === 'web' ? (merchandise >= 75 ? 0 : 6.95) : channel === 'b2b' ? 0 : 4.99;
  const shipBy = at + SHIP_PROMISE_HOURS[channel] * HOUR;
  const order: Order = {
    order_id: ctx.nextId('order'),
    channel,
    ...who,
    currency: 'USD',
    payment_method: paymentMethod(ctx, channel),
    status: 'created',
    hold_reason: null,
    hold_outcome: null,
    warehouse: null,
    created_at: at,
    promised_ship_by: shipBy,
    promised_delivery_by: shipBy + DELIVERY_PROMISE_DAYS[channel] * 24 * HOUR,
    shipping_charged: shipping,
    amount: round2(merchandise + shipping),
    backordered_at: null,
    delay_hours: 0,
    expedited: false,
    next_at: at + ctx.rng.between(5_000, 60_000),
    lines,
    pick: null,
    shipment: null,
  };
  ctx.emit('order.created', at, {
    order_id: order.order_id,
    channel,
    customer_id: order.customer_id,
    segment: order.segment,
    region: order.region,
    currency: order.currency,
    payment_method: order.payment_method,
    lines: lines.map((l) => ({ sku: l.sku, qty: l.qty, unit_price: l.unit_price, unit_cost: l.unit_cost, ...(l.discount > 0 ? { discount: l.discount } : {}) })),
    shipping_charged: shipping,
    promised_ship_by: iso(order.promised_ship_by),
    promised_delivery_by: iso(order.promised_delivery_by),
  });
  return order;
}
