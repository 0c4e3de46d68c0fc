// The fulfilment KPIs computed in plain TypeScript from the events a test stored, following the
// words of each KPI's definition (analytics/kpis/catalogue/fulfilment-kpis.ts), not its SQL.
import { categoryOf, type TestEvent } from './fulfilment-events';

interface Line {
  sku: string;
  qty: number;
  unit_price: number;
  discount?: number;
}
interface Order {
  id: string;
  at: number;
  channel: string;
  region: string;
  lines: Line[];
  shipBy: number | null;
  deliverBy: number | null;
}
interface Shipment {
  id: string;
  order: string;
  at: number;
  warehouse: string;
  carrier: string;
  cost: number;
  lines: { sku: string; qty: number }[];
}
export interface Slice {
  channel?: string;
  region?: string;
  warehouse?: string;
  category?: string;
  carrier?: string;
}

const t = (iso: string) => Date.parse(iso);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));

/** The facts of the stored events: each id once; a later event for the same order/shipment/pick replaces. */
export function factsOf(events: readonly TestEvent[]) {
  const seen = new Set<string>();
  const stored = events.filter((e) => !seen.has(e.id) && seen.add(e.id));
  const orders = new Map<string, Order>();
  const shipments = new Map<string, Shipment>();
  const firstOf = new Map<string, { at: number; value: string }>();
  const latestBackorder = new Map<string, { at: number; lines: { sku: string; qty_short: number }[] }>();
  const returns = new Map<string, { order: string; reasons: string[] }>();
  const rejected = new Set<string>();
  const picks = new Map<
    string,
    {
      at: number;
      warehouse: string;
      lines: { sku: string; qty_required: number; qty_picked: number }[];
      errors: number;
    }
  >();
  const first = (key: string, at: number, value = '') => {
    const prior = firstOf.get(key);
    if (!prior || at < prior.at) firstOf.set(key, { at, value });
  };
  for (const e of stored) {
    const d = e.data;
    const at = t(e.occurred_at);
    const order = str(d.order_id);
    if (e.type === 'order.created')
      orders.set(order, {
        id: order,
        at,
        channel: str(d.channel),
        region: str(d.region),
        lines: d.lines as Line[],
        shipBy: d.promised_ship_by ? t(str(d.promised_ship_by)) : null,
        deliverBy: d.promised_delivery_by ? t(str(d.promised_delivery_by)) : null,
      });
    if (e.type === 'order.shipped')
      shipments.set(str(d.shipment_id), {
        id: str(d.shipment_id),
        order,
        at,
        warehouse: str(d.warehouse),
        carrier: str(d.carrier),
        cost: num(d.shipping_cost),
        lines: d.lines as Shipment['lines'],
      });
    if (e.type === 'order.cancelled') first(`cancel:${order}`, at, str(d.initiated_by));
    if (e.type === 'order.delivered') first(`deliver:${order}`, at, str(d.shipment_id));
    if (e.type === 'order.backordered') {
      first(`backorder:${order}`, at);
      const prior = latestBackorder.get(order);
      if (!prior || at >= prior.at)
        latestBackorder.set(order, { at, lines: d.lines as { sku: string; qty_short: number }[] });
    }
    if (e.type === 'return.requested')
      returns.set(str(d.return_id), {
        order,
        reasons: (d.lines as { reason_code: string }[]).map((l) => l.reason_code),
      });
    if (e.type === 'return.rejected') rejected.add(str(d.return_id));
    if (e.type === 'pick.completed')
      picks.set(str(d.pick_id), { at, warehouse: str(d.warehouse), lines: d.lines as never, errors: num(d.errors) });
  }
  return { orders, shipments, firstOf, latestBackorder, returns, rejected, picks };
}
export type Facts = ReturnType<typeof factsOf>;

const value = (l: Line) => l.qty * l.unit_price;
export function orderCategory(o: Order | undefined): string {
  if (!o) return '';
  const largest = o.lines.reduce((best, l) => (value(l) > value(best) ? l : best), o.lines[0]);
  return categoryOf(largest.sku);
}
const matches = (slice: Slice, s: Slice) =>
  Object.entries(slice).every(([k, v]) => v === undefined || s[k as keyof Slice] === v);

export function firstShipment(f: Facts, order: string): Shipment | undefined {
  return [...f.shipments.values()]
    .filter((s) => s.order === order)
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))[0];
}

/** Per order first shipped in [from, to) and matching the slice: what the fulfilment tiles need. */
export function shippedOrders(f: Facts, from: number, to: number, slice: Slice = {}) {
  const result = [];
  for (const orderId of new Set([...f.shipments.values()].map((s) => s.order))) {
    const ship = firstShipment(f, orderId);
    if (!ship || ship.at < from || ship.at >= to) continue;
    const o = f.orders.get(orderId);
    const slices = {
      channel: o?.channel ?? '',
      region: o?.region ?? '',
      warehouse: ship.warehouse,
      carrier: ship.carrier,
    };
    if (!matches(slice, { ...slices, category: orderCategory(o) })) continue;
    // Units of the first shipment, given to the order's lines in line order, per SKU.
    const left = new Map<string, number>();
    for (const l of ship.lines) left.set(l.sku, (left.get(l.sku) ?? 0) + l.qty);
    const lines = (o?.lines ?? []).map((l) => {
      const shipped = Math.min(l.qty, left.get(l.sku) ?? 0);
      left.set(l.sku, (left.get(l.sku) ?? 0) - shipped);
      return { ...slices, category: categoryOf(l.sku), qty: l.qty, shipped };
    });
    const onTime = o?.shipBy != null && ship.at <= o.shipBy;
    const damaged = [...f.returns.entries()].some(
      ([id, r]) =>
        r.order === orderId && !f.rejected.has(id) && r.reasons.some((x) => x === 'damaged' || x === 'wrong_item'),
    );
    const complete = o !== undefined && lines.every((l) => l.shipped === l.qty);
    result.push({
      order: o,
      ship,
      lines,
      cycleSeconds: o ? (ship.at - o.at) / 1000 : null,
      withPromise: o?.shipBy != null,
      onTime,
      complete,
      perfect: complete && (o?.shipBy == null || onTime) && !damaged,
    });
  }
  return result;
}

/** Nearest-rank quantile. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

export function ordersPlaced(f: Facts, from: number, to: number, slice: Slice = {}) {
  return [...f.orders.values()].filter(
    (o) =>
      o.at >= from && o.at < to && matches(slice, { channel: o.channel, region: o.region, category: orderCategory(o) }),
  );
}

/** Orders open in the backlog at `at` (events before it count), with their age in days on `day`. */
export function openBacklog(f: Facts, at: number, day: number) {
  return [...f.orders.values()]
    .filter((o) => {
      if (o.at >= at) return false;
      const closes = [firstShipment(f, o.id)?.at, f.firstOf.get(`cancel:${o.id}`)?.at].filter((x) => x !== undefined);
      return !closes.some((c) => Math.max(c, o.at) < at);
    })
    .map((o) => ({ order: o, age: day - Math.floor(o.at / 86_400_000) }));
}

/** Backorders open at `at`: units and value per short line, with the age of the backorder in days on `day`. */
export function openBackorders(f: Facts, at: number, day: number) {
  const open = [];
  for (const [orderId, latest] of f.latestBackorder) {
    const since = f.firstOf.get(`backorder:${orderId}`)?.at ?? latest.at;
    if (since >= at) continue;
    const shipAfter = [...f.shipments.values()].filter((s) => s.order === orderId && s.at >= since).map((s) => s.at);
    const cancel = f.firstOf.get(`cancel:${orderId}`)?.at;
    const closes = [...shipAfter, ...(cancel === undefined ? [] : [cancel])];
    if (closes.some((c) => Math.max(c, since) < at)) continue;
    const o = f.orders.get(orderId);
    const lines = latest.lines.map((l) => {
      const line = o?.lines.find((x) => x.sku === l.sku);
      const unit = line ? (line.qty * line.unit_price - (line.discount ?? 0)) / line.qty : 0;
      return { units: l.qty_short, value: l.qty_short * unit, category: categoryOf(l.sku) };
    });
    open.push({ order: orderId, age: day - Math.floor(since / 86_400_000), lines });
  }
  return open;
}
