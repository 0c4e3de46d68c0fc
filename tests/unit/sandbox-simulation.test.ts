import { describe, expect, it } from 'vitest';
import { validateEvent } from '@/lib/events';
import { CHANNELS, WAREHOUSES, buildCatalogue } from '@/lib/core/sandbox/catalogue';
import type { SandboxEvent } from '@/lib/core/sandbox/sandbox-events';
import { DAY, HOUR } from '@/lib/core/sandbox/sim-context';
import { Simulation } from '@/lib/core/sandbox/simulation';

const START = Date.parse('2026-03-02T00:00:00Z');

interface Line {
  sku: string;
  qty: number;
}
const lines = (e: SandboxEvent): Line[] => ('lines' in e.data && Array.isArray(e.data.lines) ? (e.data.lines as Line[]) : []);

/** Runs a world for `days` and checks stock invariants after every simulated minute. */
async function run(seed: number, days: number, rate: number): Promise<{ events: SandboxEvent[]; sim: Simulation; stockViolations: string[] }> {
  const sim = Simulation.create(seed, START, rate);
  const events: SandboxEvent[] = [];
  const stockViolations: string[] = [];
  await sim.advanceTo(START + days * DAY, async () => {
    events.push(...sim.takeEvents());
    for (const s of sim.world.stock.values()) {
      if (s.on_hand < 0 || s.reserved < 0 || s.reserved > s.on_hand) stockViolations.push(`${s.warehouse}/${s.sku} ${s.on_hand}/${s.reserved}`);
    }
  });
  events.push(...sim.takeEvents());
  return { events, sim, stockViolations };
}

describe('sandbox catalogue', () => {
  it('is the mid-market retailer of the design, the same for the same seed', () => {
    const c = buildCatalogue(7);
    expect(c.skus).toHaveLength(300);
    expect(new Set(c.skus.map((s) => s.category)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(c.skus.map((s) => s.valueClass))).toEqual(new Set(['A', 'B', 'C']));
    expect(c.skus.every((s) => s.cost > 0 && s.cost < s.price)).toBe(true);
    expect(CHANNELS).toEqual(['web', 'amazon', 'zalando', 'b2b']);
    expect(WAREHOUSES).toEqual(['WH-EAST', 'WH-WEST', 'WH-CENTRAL']);
    expect(buildCatalogue(7).skus).toEqual(c.skus);
    expect(buildCatalogue(8).skus).not.toEqual(c.skus);
  });
});

describe('sandbox product catalogue', () => {
  it('describes every SKU before anything else, under ids that stay the same while the SKU does', () => {
    const first = Simulation.create(7, START, 1).takeEvents();
    const products = first.filter((e) => e.type === 'product.updated');
    const catalogue = buildCatalogue(7);
    expect(products.map((e) => e.data)).toEqual(
      catalogue.skus.map((s) => ({ sku: s.sku, category: s.category, name: s.name, value_class: s.valueClass, unit_cost: s.cost, supplier: s.supplier })),
    );
    expect(first.slice(0, products.length)).toEqual(products);
    expect(products.every((e) => validateEvent(e).ok && e.occurred_at === new Date(START).toISOString())).toBe(true);
    const again = Simulation.create(7, START + DAY, 1).takeEvents().filter((e) => e.type === 'product.updated');
    expect(again.map((e) => e.id)).toEqual(products.map((e) => e.id));
    const otherCatalogue = Simulation.create(8, START, 1).takeEvents().filter((e) => e.type === 'product.updated');
    expect(otherCatalogue.map((e) => e.id)).not.toContain(products[0].id);
  });
});

describe('sandbox simulation', { timeout: 60_000 }, async () => {
  const { events, sim, stockViolations } = await run(11, 10, 1.5);

  it('every event passes the contract with exactly the field names of EVENTS.md', () => {
    const failures = events
      .map((e) => ({ e, v: validateEvent(e) }))
      .filter(({ v }) => !v.ok || v.attrs !== null)
      .slice(0, 3)
      .map(({ e, v }) => `${e.type}: ${v.ok ? `unknown fields ${JSON.stringify(v.attrs)}` : v.error}`);
    expect(failures).toEqual([]);
    expect(events.every((e) => e.source === 'sandbox' && /^sbx-[0-9a-f-]{36}$/.test(e.id) && e.occurred_at.endsWith('Z'))).toBe(true);
  });

  it('emits unique ids in chronological order', () => {
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const times = events.map((e) => Date.parse(e.occurred_at));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
  });

  it('exercises the whole lifecycle: holds, backorders or cancellations, exceptions, returns and refunds', () => {
    const types = new Set(events.map((e) => e.type));
    for (const t of ['order.created', 'order.payment_authorized', 'order.held', 'order.released', 'order.allocated', 'order.cancelled',
      'pick.created', 'pick.completed', 'order.shipped', 'shipment.exception', 'order.delivered', 'stock.snapshot', 'stock.adjusted',
      'po.created', 'stock.received', 'return.requested', 'return.authorized', 'return.received', 'return.inspected',
      'refund.requested', 'refund.approved', 'refund.issued'] as const) {
      expect(types, t).toContain(t);
    }
  });

  it('never lets stock go negative or reserve more than is on hand', () => {
    expect(stockViolations).toEqual([]);
  });

  it('ships no more than was ordered, and only orders that were allocated and picked', () => {
    const ordered = new Map<string, Map<string, number>>();
    const allocated = new Set<string>();
    const picked = new Set<string>();
    const problems: string[] = [];
    let shipments = 0;
    for (const e of events) {
      const orderId = 'order_id' in e.data ? String(e.data.order_id) : '';
      if (e.type === 'order.created') ordered.set(orderId, new Map(lines(e).map((l) => [l.sku, l.qty])));
      if (e.type === 'order.allocated') allocated.add(orderId);
      if (e.type === 'pick.completed') picked.add(orderId);
      if (e.type === 'order.shipped') {
        shipments++;
        if (!allocated.has(orderId) || !picked.has(orderId)) problems.push(`${orderId} shipped before allocation and pick`);
        for (const l of lines(e)) if (l.qty > (ordered.get(orderId)?.get(l.sku) ?? 0)) problems.push(`${orderId} ${l.sku} shipped ${l.qty}`);
      }
    }
    expect(problems).toEqual([]);
    expect(shipments).toBeGreaterThan(1000);
  });

  it('keeps event-derived stock equal to the core’s own snapshots', () => {
    // Units on hand from the events alone: opening snapshot, receipts, adjustments, shipments, restocked returns.
    const derived = new Map<string, number>();
    const returnWarehouse = new Map<string, string>();
    const key = (w: string, s: string) => `${w}|${s}`;
    let compared = 0;
    const mismatches: string[] = [];
    for (const e of events) {
      const d = e.data as Record<string, unknown>;
      if (e.type === 'stock.snapshot') {
        const k = key(String(d.warehouse), String(d.sku));
        if (derived.has(k)) {
          if (derived.get(k) !== d.on_hand) mismatches.push(`${k}: events say ${derived.get(k)}, snapshot ${String(d.on_hand)}`);
          compared++;
        }
        derived.set(k, Number(d.on_hand));
      }
      if (e.type === 'stock.received') derived.set(key(String(d.warehouse), String(d.sku)), (derived.get(key(String(d.warehouse), String(d.sku))) ?? 0) + Number(d.qty));
      if (e.type === 'stock.adjusted') derived.set(key(String(d.warehouse), String(d.sku)), (derived.get(key(String(d.warehouse), String(d.sku))) ?? 0) + Number(d.qty_delta));
      if (e.type === 'order.shipped') for (const l of lines(e)) derived.set(key(String(d.warehouse), l.sku), (derived.get(key(String(d.warehouse), l.sku)) ?? 0) - l.qty);
      if (e.type === 'return.received') returnWarehouse.set(String(d.return_id), String(d.warehouse));
      if (e.type === 'return.inspected') {
        for (const l of d.lines as { sku: string; qty: number; disposition: string }[]) {
          if (l.disposition !== 'restock') continue;
          const k = key(returnWarehouse.get(String(d.return_id)) ?? '', l.sku);
          derived.set(k, (derived.get(k) ?? 0) + l.qty);
        }
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(compared).toBeGreaterThan(900 * 15);
  });

  it('follows a day/night rhythm: evenings are busier than the small hours', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const e of events) if (e.type === 'order.created') byHour[new Date(e.occurred_at).getUTCHours()]++;
    // 01:00 UTC is 20:00 in the retailer's home zone, 09:00 UTC is 04:00.
    expect(byHour[1]).toBeGreaterThan(byHour[9] * 3);
  });

  it('is reproducible: same seed, same events; another seed, another story', async () => {
    const again = await run(11, 1, 1.5);
    expect(again.events.map((e) => e.id)).toEqual(events.filter((e) => Date.parse(e.occurred_at) <= START + DAY).map((e) => e.id).slice(0, again.events.length));
    const other = await run(12, 1, 1.5);
    expect(other.events[other.events.length - 1].id).not.toBe(again.events[again.events.length - 1].id);
    expect(sim.world.meta.counters.order).toBeGreaterThan(1.5 * 60 * 24 * 9);
  });

  it('feeds the stock KPIs: judged counts, POs with a due date, receipts against them', () => {
    const d = (e: SandboxEvent) => e.data as Record<string, unknown>;
    const counts = events.filter((e) => e.type === 'stock.adjusted' && d(e).reason === 'cycle_count');
    expect(counts.length).toBeGreaterThan(100);
    expect(counts.every((e) => typeof d(e).expected_qty === 'number' && typeof d(e).counted_qty === 'number')).toBe(true);
    const pos = new Set(events.filter((e) => e.type === 'po.created' && typeof d(e).expected_at === 'string').map((e) => d(e).po_id));
    const received = events.filter((e) => e.type === 'stock.received');
    const opening = received.filter((e) => d(e).po_id === undefined);
    // the stock a retailer opens with is received on opening, every SKU at every warehouse
    expect(opening.length).toBe(900);
    expect(opening.every((e) => Date.parse(e.occurred_at) === START)).toBe(true);
    const againstPos = received.filter((e) => d(e).po_id !== undefined);
    expect(againstPos.length).toBeGreaterThan(100);
    expect(againstPos.every((e) => pos.has(d(e).po_id))).toBe(true);
    // orders already on their way at opening come due within the first days
    const dueFirstDays = events.filter((e) => e.type === 'po.created' && Date.parse(String(d(e).expected_at)) < START + 3 * DAY);
    expect(dueFirstDays.length).toBeGreaterThan(10);
  });

  it('moves lifecycle stages on a realistic clock: most orders ship within their promise', () => {
    const created = new Map<string, number>();
    const promise = new Map<string, number>();
    let onTime = 0;
    let shipped = 0;
    let tooFast = 0;
    for (const e of events) {
      const d = e.data as Record<string, unknown>;
      if (e.type === 'order.created') {
        created.set(String(d.order_id), Date.parse(e.occurred_at));
        promise.set(String(d.order_id), Date.parse(String(d.promised_ship_by)));
      }
      if (e.type === 'order.shipped') {
        const at = Date.parse(e.occurred_at);
        const hours = (at - (created.get(String(d.order_id)) ?? at)) / HOUR;
        if (hours < 0.5) tooFast++;
        shipped++;
        if (at <= (promise.get(String(d.order_id)) ?? 0)) onTime++;
      }
    }
    expect(tooFast).toBe(0);
    expect(onTime / shipped).toBeGreaterThan(0.85);
    expect(onTime / shipped).toBeLessThan(1);
  });
});
