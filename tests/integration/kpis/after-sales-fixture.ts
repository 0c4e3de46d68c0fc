// A small retailer's orders, shipments, returns and refunds as plain data, the events that state
// them, and the after-sales KPIs computed from that data in plain TypeScript — never with the SQL
// under test. returns-kpis.test.ts feeds the events and compares.

export interface Product {
  sku: string;
  category: string;
  unit_cost?: number;
}
export interface OrderLine {
  sku: string;
  qty: number;
  unit_price: number;
  discount?: number;
  unit_cost?: number;
}
export interface Order {
  id: string;
  at: string;
  channel: string;
  region: string;
  lines: OrderLine[];
}
export interface Shipment {
  id: string;
  order: string;
  at: string;
  warehouse: string;
  carrier: string;
  shipping_cost: number;
  lines: { sku: string; qty: number }[];
}
export interface Return {
  id: string;
  order: string;
  requested_at: string;
  lines: { sku: string; qty: number; reason_code: string }[];
  rejected_at?: string;
  received?: { at: string; warehouse: string; lines: { sku: string; qty: number }[] };
  inspected?: { at: string; lines: { sku: string; qty: number; disposition: string; recovery_value?: number }[] };
}
export interface Refund {
  id: string;
  order: string;
  return_id?: string;
  amount: number;
  requested_at?: string;
  issued_at?: string;
  rejected_at?: string;
}
export interface World {
  products: Product[];
  orders: Order[];
  shipments: Shipment[];
  returns: Return[];
  refunds: Refund[];
}

export interface Event {
  id: string;
  type: string;
  occurred_at: string;
  source: string;
  data: object;
}

const event = (id: string, type: string, occurred_at: string, data: object): Event => ({
  id,
  type,
  occurred_at,
  source: 'test',
  data,
});

export const productEvent = (p: Product) => event(`p-${p.sku}`, 'product.updated', '2026-01-01T00:00:00Z', p);
export const orderEvent = (o: Order, id = `o-${o.id}`) =>
  event(id, 'order.created', o.at, { order_id: o.id, channel: o.channel, region: o.region, lines: o.lines });
export const shipmentEvent = (s: Shipment, id = `s-${s.id}`) =>
  event(id, 'order.shipped', s.at, {
    order_id: s.order,
    shipment_id: s.id,
    warehouse: s.warehouse,
    carrier: s.carrier,
    shipping_cost: s.shipping_cost,
    lines: s.lines,
  });
export const returnRequestedEvent = (r: Return, id = `rr-${r.id}`) =>
  event(id, 'return.requested', r.requested_at, { return_id: r.id, order_id: r.order, lines: r.lines });

/** Every event of a return but its request, in business order. */
export function returnProgressEvents(r: Return): Event[] {
  const events: Event[] = [];
  if (r.rejected_at)
    events.push(event(`rj-${r.id}`, 'return.rejected', r.rejected_at, { return_id: r.id, reason: 'x' }));
  if (r.received) {
    const { at, warehouse, lines } = r.received;
    const received = lines.map((l) => ({ ...l, condition: 'opened' }));
    events.push(event(`rc-${r.id}`, 'return.received', at, { return_id: r.id, warehouse, lines: received }));
  }
  if (r.inspected) {
    events.push(event(`ri-${r.id}`, 'return.inspected', r.inspected.at, { return_id: r.id, lines: r.inspected.lines }));
  }
  return events;
}

export function refundEvents(f: Refund): Event[] {
  const events: Event[] = [];
  const order = { refund_id: f.id, order_id: f.order, amount: f.amount };
  if (f.requested_at) {
    const data = f.return_id ? { ...order, return_id: f.return_id } : order;
    events.push(event(`fq-${f.id}`, 'refund.requested', f.requested_at, data));
  }
  if (f.issued_at) events.push(event(`fi-${f.id}`, 'refund.issued', f.issued_at, { ...order, method: 'card' }));
  if (f.rejected_at)
    events.push(event(`fr-${f.id}`, 'refund.rejected', f.rejected_at, { refund_id: f.id, reason: 'x' }));
  return events;
}

// ---- the model ---------------------------------------------------------------------------------

export type Slice = Partial<Record<'channel' | 'region' | 'warehouse' | 'category' | 'carrier', string>>;
export interface Window {
  from: number;
  to: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const t = (iso: string) => Date.parse(iso);

/** The ledger reads whole hours: the hour in progress at either end counts in full. */
export function windowOf(period: { from: Date; to: Date }): Window {
  return {
    from: Math.floor(period.from.getTime() / HOUR) * HOUR,
    to: Math.ceil(period.to.getTime() / HOUR) * HOUR,
  };
}
const within = (iso: string, w: Window) => t(iso) >= w.from && t(iso) < w.to;
const matches = (filter: Slice, row: Slice) => Object.entries(filter).every(([k, v]) => row[k as keyof Slice] === v);

/** The nearest-rank q-quantile of some values (the sketch's definition), null when none. */
export function nearestRank(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

export function createModel(w: World) {
  const category = (sku: string) => w.products.find((p) => p.sku === sku)?.category ?? '';
  const order = (id: string) => w.orders.find((o) => o.id === id);
  const orderSlice = (id: string): Slice => {
    const o = order(id);
    if (!o) return { channel: '', region: '', category: '' };
    const largest = [...o.lines].sort((a, b) => b.qty * b.unit_price - a.qty * a.unit_price)[0];
    return { channel: o.channel, region: o.region, category: category(largest.sku) };
  };
  const orderLines = (orderId: string, sku: string) => (order(orderId)?.lines ?? []).filter((l) => l.sku === sku);
  const costOf = (orderId: string, sku: string, units: number) => {
    const costed = orderLines(orderId, sku).filter((l) => l.unit_cost !== undefined);
    const qty = costed.reduce((a, l) => a + l.qty, 0);
    if (qty > 0) return (units * costed.reduce((a, l) => a + l.qty * (l.unit_cost ?? 0), 0)) / qty;
    return units * (w.products.find((p) => p.sku === sku)?.unit_cost ?? 0);
  };
  const saleValueOf = (orderId: string, sku: string, units: number) => {
    const lines = orderLines(orderId, sku);
    const qty = lines.reduce((a, l) => a + l.qty, 0);
    if (qty === 0) return null;
    return (units * lines.reduce((a, l) => a + l.qty * l.unit_price - (l.discount ?? 0), 0)) / qty;
  };
  const returnOf = (id: string | undefined) => w.returns.find((r) => r.id === id);
  const returnSlice = (r: Return): Slice => ({
    ...orderSlice(r.order),
    warehouse: r.received?.warehouse ?? '',
  });

  /** Units shipped and returned (not rejected) by reason, over the orders first shipped in the window. */
  function returnCohort(win: Window, filter: Slice) {
    let shipped = 0;
    const returned = new Map<string, number>();
    for (const o of w.orders) {
      const shipments = w.shipments.filter((s) => s.order === o.id).sort((a, b) => t(a.at) - t(b.at));
      if (shipments.length === 0 || !within(shipments[0].at, win)) continue;
      const cohort = {
        channel: o.channel,
        region: o.region,
        warehouse: shipments[0].warehouse,
        carrier: shipments[0].carrier,
      };
      for (const l of shipments.flatMap((s) => s.lines))
        if (matches(filter, { ...cohort, category: category(l.sku) })) shipped += l.qty;
      for (const r of w.returns.filter((x) => x.order === o.id && !x.rejected_at))
        for (const l of r.lines)
          if (matches(filter, { ...cohort, category: category(l.sku) }))
            returned.set(l.reason_code, (returned.get(l.reason_code) ?? 0) + l.qty);
    }
    const total = [...returned.values()].reduce((a, n) => a + n, 0);
    return { shipped, returned, total, rate: shipped === 0 ? null : total / shipped };
  }

  function processingHours(win: Window, filter: Slice): number[] {
    return w.returns
      .filter((r) => r.received && r.inspected && within(r.inspected.at, win))
      .filter((r) => {
        const largest = [...(r.inspected?.lines ?? [])].sort((a, b) => b.qty - a.qty)[0];
        return matches(filter, { ...returnSlice(r), category: category(largest.sku) });
      })
      .map((r) => (t(r.inspected?.at ?? '') - t(r.received?.at ?? '')) / HOUR);
  }

  function turnaroundDays(win: Window, filter: Slice): number[] {
    const days: number[] = [];
    for (const f of w.refunds) {
      if (!f.issued_at || !within(f.issued_at, win)) continue;
      const r = returnOf(f.return_id);
      if (!matches(filter, { ...orderSlice(f.order), warehouse: r?.received?.warehouse ?? '' })) continue;
      const received = r?.received && t(r.received.at) <= t(f.issued_at) ? r.received.at : undefined;
      const start = received ?? f.requested_at;
      if (start) days.push((t(f.issued_at) - t(start)) / DAY);
    }
    return days;
  }

  /** Refunds open at `at` (requested before it, neither issued nor rejected by then), by age bucket. */
  function refundBacklog(at: number, filter: Slice, buckets: readonly { key: string; fromDay: number }[]) {
    const byAge = new Map<string, number>();
    for (const f of w.refunds) {
      if (!f.requested_at || t(f.requested_at) >= at) continue;
      const closed = [f.issued_at, f.rejected_at].filter((x): x is string => !!x).map(t);
      if (closed.some((c) => c < at)) continue;
      const r = returnOf(f.return_id);
      if (!matches(filter, { ...orderSlice(f.order), warehouse: r?.received?.warehouse ?? '' })) continue;
      const ageDays = Math.floor((at - t(f.requested_at)) / DAY);
      const bucket = [...buckets].reverse().find((b) => ageDays >= b.fromDay);
      if (bucket) byAge.set(bucket.key, (byAge.get(bucket.key) ?? 0) + 1);
    }
    return { total: [...byAge.values()].reduce((a, n) => a + n, 0), byAge };
  }

  /** Inspected lines in the window, with what they recovered, sold for and cost. */
  function inspectedLines(win: Window, filter: Slice) {
    return w.returns
      .filter((r) => r.inspected && within(r.inspected.at, win))
      .flatMap((r) =>
        (r.inspected?.lines ?? [])
          .filter((l) => matches(filter, { ...returnSlice(r), category: category(l.sku) }))
          .map((l) => ({ ...l, sale: saleValueOf(r.order, l.sku, l.qty), cost: costOf(r.order, l.sku, l.qty) })),
      );
  }

  function recovery(win: Window, filter: Slice) {
    const valued = inspectedLines(win, filter).filter((l) => l.recovery_value !== undefined && l.sale !== null);
    const recovered = valued.reduce((a, l) => a + (l.recovery_value ?? 0), 0);
    const sold = valued.reduce((a, l) => a + (l.sale ?? 0), 0);
    return { recovered, rate: sold === 0 ? null : recovered / sold };
  }

  /** The terms of gross margin after returns over the window, as its help text defines them. */
  function margin(win: Window, filter: Slice, withShippingCost: boolean) {
    const inOrder = (id: string, sku = '') =>
      matches(filter, { ...orderSlice(id), ...(sku ? { category: category(sku) } : {}) });
    let gross = 0;
    for (const o of w.orders.filter((x) => within(x.at, win)))
      for (const l of o.lines) if (inOrder(o.id, l.sku)) gross += l.qty * l.unit_price - (l.discount ?? 0);
    const refunds = w.refunds
      .filter((f) => f.issued_at && within(f.issued_at, win) && inOrder(f.order))
      .reduce((a, f) => a + f.amount, 0);
    let cogsShipped = 0;
    let shipping = 0;
    for (const s of w.shipments.filter((x) => within(x.at, win))) {
      if (withShippingCost && inOrder(s.order)) shipping += s.shipping_cost;
      for (const l of s.lines) if (inOrder(s.order, l.sku)) cogsShipped += costOf(s.order, l.sku, l.qty);
    }
    let receivedCost = 0;
    for (const r of w.returns.filter((x) => x.received && within(x.received.at, win)))
      for (const l of r.received?.lines ?? [])
        if (inOrder(r.order, l.sku)) receivedCost += costOf(r.order, l.sku, l.qty);
    const writtenOff = inspectedLines(win, filter).filter((l) => l.disposition !== 'restock');
    const losses = writtenOff.reduce((a, l) => a + l.cost, 0);
    const recovered = writtenOff.filter((l) => l.sale !== null).reduce((a, l) => a + (l.recovery_value ?? 0), 0);
    const netSales = gross - refunds;
    const cogsKept = cogsShipped - receivedCost;
    const grossMargin = netSales - cogsKept - shipping - losses + recovered;
    return {
      netSales,
      cogsKept,
      shipping,
      losses,
      recovered,
      grossMargin,
      rate: netSales === 0 ? null : grossMargin / netSales,
    };
  }

  return { returnCohort, processingHours, turnaroundDays, refundBacklog, recovery, margin };
}
