import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { periodsOf, type BoardView } from '@/analytics/kpis/board-view';
import { fulfilmentKpis } from '@/analytics/kpis/catalogue/fulfilment-kpis';
import { ledgerFamilies } from '@/analytics/kpis/families/ledger-families';
import { readKpis, type KpiReading } from '@/analytics/kpis/kpi-readings';
import { createKpiLedger } from '@/analytics/kpis/ledger/kpi-ledger';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService, type IngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import { batches, categoryOf, type TestEvent } from './fulfilment-events';
import {
  factsOf,
  openBacklog,
  openBackorders,
  ordersPlaced,
  quantile,
  shippedOrders,
  type Facts,
  type Slice,
} from './fulfilment-model';

// Every fulfilment KPI over a known event set, compared with values computed here from the input.
const NOW = new Date('2026-03-10T15:30:00.000Z');
const PICK_PACK_RATE = 1.1;
process.env.TOWER_PICK_PACK_COST_PER_UNIT = String(PICK_PACK_RATE);

const h = (iso: string) => Date.parse(iso);
// The ledger reads whole hours: "today" at 15:30 is [00:00, 16:00), the range before it yesterday's same hours.
const TODAY = { from: h('2026-03-10T00:00:00Z'), to: h('2026-03-10T16:00:00Z') };
const YESTERDAY = { from: h('2026-03-09T00:00:00Z'), to: h('2026-03-09T16:00:00Z') };
const LAST_7 = { from: h('2026-03-04T00:00:00Z'), to: TODAY.to };
const DAY_OF = (at: number) => Math.floor((at - 1) / 86_400_000);

let analytics: Analytics;
let ingest: IngestService;
let early: Map<string, KpiReading>;
const sent: TestEvent[] = [];

async function board(view: Partial<BoardView> = {}): Promise<Map<string, KpiReading>> {
  await ingest.flush(); // the ledger follows stored events off the write path: wait for it
  const full = { range: 'today', ...view } as BoardView;
  const filters = Object.fromEntries(
    Object.entries(view).filter(([k]) => ['channel', 'region', 'warehouse', 'category'].includes(k)),
  );
  const readings = await readKpis({ analytics }, fulfilmentKpis, { periods: periodsOf(full, NOW), filters, now: NOW });
  return new Map(readings.map((r) => [r.key, r]));
}
const value = (r: Map<string, KpiReading>, key: string) => r.get(key)?.value;
const part = (r: Map<string, KpiReading>, key: string, p: string) => r.get(key)?.parts.find((x) => x.key === p);
const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
const count = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length;
const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

function cycleHours(f: Facts, q: number) {
  const seconds = shippedOrders(f, TODAY.from, TODAY.to)
    .map((o) => o.cycleSeconds)
    .filter((s): s is number => s !== null);
  const v = quantile(seconds, q);
  return v === null ? null : v / 3600;
}

function shippingCost(f: Facts, range: { from: number; to: number }) {
  const shipments = [...f.shipments.values()].filter((s) => s.at >= range.from && s.at < range.to);
  const units = sum(shipments, (s) => sum(s.lines, (l) => l.qty));
  return sum(shipments, (s) => s.cost) + units * PICK_PACK_RATE;
}

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kpi-fulfilment-'));
  analytics = await openAnalytics({ dataDir, maxMemoryBytes: 1 << 30 });
  await migrateAnalytics(analytics);
  ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 5 });
  const [first, retry, late, last] = batches;
  for (const batch of [first, retry]) {
    await ingest.submit(batch, 'test');
    sent.push(...batch);
  }
  early = await board();
  for (const batch of [late, last]) {
    await ingest.submit(batch, 'test');
    sent.push(...batch);
  }
});

afterAll(async () => {
  await ingest?.close();
  await analytics?.close();
});

describe('fulfilment KPIs from the ledger', () => {
  it('a shipment before its order.created counts as shipped, and joins cycle time once the order arrives', async () => {
    const before = factsOf(sent.slice(0, batches[0].length * 2));
    const orders = shippedOrders(before, TODAY.from, TODAY.to);
    expect(orders.some((o) => o.order === undefined)).toBe(true);
    expect(value(early, 'fulfilment_cost_per_order')).toBeCloseTo(shippingCost(before, TODAY) / orders.length, 4);
    const p90 = cycleHours(before, 0.9) ?? NaN;
    expect(Math.abs((value(early, 'order_cycle_time') ?? 0) - p90)).toBeLessThanOrEqual(p90 * 0.011);
    expect(value(early, 'fill_rate')).toBeCloseTo(
      ratio(
        count(orders, (o) => o.complete),
        count(orders, (o) => o.order !== undefined),
      ) ?? NaN,
      6,
    );
  });

  it('order cycle time p90 and p50, within the sketch’s ±1 %', async () => {
    const f = factsOf(sent);
    const readings = await board();
    for (const [got, q] of [
      [value(readings, 'order_cycle_time'), 0.9],
      [part(readings, 'order_cycle_time', 'p50')?.value, 0.5],
    ] as const) {
      const want = cycleHours(f, q) ?? NaN;
      expect(Math.abs((got ?? 0) - want)).toBeLessThanOrEqual(want * 0.011);
    }
  });

  it('on-time ship rate, whole and for one channel', async () => {
    const f = factsOf(sent);
    for (const slice of [{}, { channel: 'web' }] as Slice[]) {
      const orders = shippedOrders(f, TODAY.from, TODAY.to, slice).filter((o) => o.withPromise);
      const readings = await board(slice);
      expect(value(readings, 'on_time_ship_rate')).toBeCloseTo(
        ratio(
          count(orders, (o) => o.onTime),
          orders.length,
        ) ?? NaN,
        6,
      );
    }
  });

  it('on-time delivery rate, by first delivery, a delivery before its shipment included', async () => {
    const f = factsOf(sent);
    const delivered = [...f.orders.values()]
      .map((o) => ({ o, d: f.firstOf.get(`deliver:${o.id}`) }))
      // A delivery counts once its shipment is known.
      .filter(
        ({ o, d }) => d && f.shipments.has(d.value) && d.at >= TODAY.from && d.at < TODAY.to && o.deliverBy !== null,
      );
    const onTime = count(delivered, ({ o, d }) => (d?.at ?? 0) <= (o.deliverBy ?? 0));
    expect(value(await board(), 'on_time_delivery_rate')).toBeCloseTo(ratio(onTime, delivered.length) ?? NaN, 6);
    // Sliced by the delivered shipment's warehouse: A13's shipment arrived after its delivery.
    const west = delivered.filter(({ d }) => f.shipments.get(d?.value ?? '')?.warehouse === 'WH-WEST');
    expect(value(await board({ warehouse: 'WH-WEST' }), 'on_time_delivery_rate')).toBeCloseTo(
      ratio(
        count(west, ({ o, d }) => (d?.at ?? 0) <= (o.deliverBy ?? 0)),
        west.length,
      ) ?? NaN,
      6,
    );
  });

  it('order, unit and line fill of first shipments (a split shipment, a SKU on two lines)', async () => {
    const f = factsOf(sent);
    const orders = shippedOrders(f, TODAY.from, TODAY.to).filter((o) => o.order !== undefined);
    const lines = orders.flatMap((o) => o.lines);
    const readings = await board();
    expect(value(readings, 'fill_rate')).toBeCloseTo(
      ratio(
        count(orders, (o) => o.complete),
        orders.length,
      ) ?? NaN,
      6,
    );
    expect(part(readings, 'fill_rate', 'unit_fill')?.value).toBeCloseTo(
      sum(lines, (l) => l.shipped) / sum(lines, (l) => l.qty),
      6,
    );
    expect(part(readings, 'fill_rate', 'line_fill')?.value).toBeCloseTo(
      count(lines, (l) => l.shipped === l.qty) / lines.length,
      6,
    );
    const apparel = lines.filter((l) => l.category === 'apparel');
    expect(part(await board({ category: 'apparel' }), 'fill_rate', 'unit_fill')?.value).toBeCloseTo(
      sum(apparel, (l) => l.shipped) / sum(apparel, (l) => l.qty),
      6,
    );
  });

  it('perfect order rate: complete, on time, not returned damaged or wrong (a rejected return aside)', async () => {
    const f = factsOf(sent);
    const orders = shippedOrders(f, TODAY.from, TODAY.to).filter((o) => o.order !== undefined);
    expect(value(await board(), 'perfect_order_rate')).toBeCloseTo(
      ratio(
        count(orders, (o) => o.perfect),
        orders.length,
      ) ?? NaN,
      6,
    );
  });

  it('backorder rate over 7 days, and backorders open at its end', async () => {
    const f = factsOf(sent);
    const placed = ordersPlaced(f, LAST_7.from, LAST_7.to);
    const readings = await board({ range: '7d' });
    expect(value(readings, 'backorder_rate')).toBeCloseTo(
      ratio(
        count(placed, (o) => f.firstOf.has(`backorder:${o.id}`)),
        placed.length,
      ) ?? NaN,
      6,
    );
    expect(part(readings, 'backorder_rate', 'open')?.value).toBe(
      openBackorders(f, LAST_7.to, DAY_OF(NOW.getTime())).length,
    );
  });

  it('open backorders by age, in units and value, and for one category', async () => {
    const f = factsOf(sent);
    const open = openBackorders(f, TODAY.to, DAY_OF(NOW.getTime()));
    const lines = open.flatMap((b) => b.lines.map((l) => ({ ...l, age: b.age })));
    const readings = await board();
    expect(value(readings, 'backorder_ageing')).toBe(sum(lines, (l) => l.units));
    expect(part(readings, 'backorder_ageing', 'value')?.value).toBeCloseTo(
      sum(lines, (l) => l.value),
      4,
    );
    const aged = (lo: number, hi: number) => lines.filter((l) => l.age >= lo && l.age <= hi);
    for (const [key, lo, hi] of [
      ['0_2', 0, 2],
      ['3_7', 3, 7],
      ['8_14', 8, 14],
      ['15_30', 15, 30],
      ['over_30', 31, Infinity],
    ] as const) {
      expect(part(readings, 'backorder_ageing', `units_${key}`)?.value).toBe(sum(aged(lo, hi), (l) => l.units));
      expect(part(readings, 'backorder_ageing', `value_${key}`)?.value).toBeCloseTo(
        sum(aged(lo, hi), (l) => l.value),
        4,
      );
    }
    const home = lines.filter((l) => l.category === 'home');
    expect(value(await board({ category: 'home' }), 'backorder_ageing')).toBe(sum(home, (l) => l.units));
  });

  it('cancellation rates by initiator, today and yesterday up to the same hour', async () => {
    const f = factsOf(sent);
    const readings = await board();
    for (const [range, got] of [
      [
        TODAY,
        (k: string) =>
          k === '' ? value(readings, 'cancellation_rate') : part(readings, 'cancellation_rate', k)?.value,
      ],
      [
        YESTERDAY,
        (k: string) =>
          k === '' ? readings.get('cancellation_rate')?.previous : part(readings, 'cancellation_rate', k)?.previous,
      ],
    ] as const) {
      const placed = ordersPlaced(f, range.from, range.to).length;
      const cancels = [...f.orders.keys()]
        .map((id) => f.firstOf.get(`cancel:${id}`))
        .filter((c) => c && c.at >= range.from && c.at < range.to);
      const by = (who: string) =>
        ratio(
          count(cancels, (c) => c?.value === who),
          placed,
        ) ?? NaN;
      expect(got('')).toBeCloseTo(by('seller'), 6);
      expect(got('customer')).toBeCloseTo(by('customer'), 6);
      expect(got('system')).toBeCloseTo(by('system'), 6);
      expect(got('all')).toBeCloseTo(ratio(cancels.length, placed) ?? NaN, 6);
    }
  });

  it('pick accuracy after a corrected pick, whole, by warehouse and by category', async () => {
    const f = factsOf(sent);
    const picks = [...f.picks.values()].filter((p) => p.at >= TODAY.from && p.at < TODAY.to);
    const lines = picks.flatMap((p) => {
      const largest = p.lines.reduce((b, l, i) => (l.qty_required > p.lines[b].qty_required ? i : b), 0);
      return p.lines.map((l, i) => ({
        warehouse: p.warehouse,
        category: categoryOf(l.sku),
        required: l.qty_required,
        wrong: Math.max(0, l.qty_required - l.qty_picked) + (i === largest ? p.errors : 0),
      }));
    });
    const accuracy = (ls: typeof lines) => 1 - sum(ls, (l) => l.wrong) / sum(ls, (l) => l.required);
    expect(value(await board(), 'pick_accuracy')).toBeCloseTo(accuracy(lines), 6);
    expect(value(await board({ warehouse: 'WH-WEST' }), 'pick_accuracy')).toBeCloseTo(
      accuracy(lines.filter((l) => l.warehouse === 'WH-WEST')),
      6,
    );
    expect(value(await board({ category: 'apparel' }), 'pick_accuracy')).toBeCloseTo(
      accuracy(lines.filter((l) => l.category === 'apparel')),
      6,
    );
  });

  it('open backlog with age buckets, now and at the end of the range before', async () => {
    const f = factsOf(sent);
    const readings = await board();
    const tile = readings.get('open_backlog');
    const now = openBacklog(f, TODAY.to, DAY_OF(NOW.getTime()));
    const then = openBacklog(f, YESTERDAY.to, DAY_OF(h('2026-03-09T15:30:00Z')));
    expect(tile?.value).toBe(now.length);
    expect(tile?.previous).toBe(then.length);
    for (const [key, lo, hi] of [
      ['age_0_2', 0, 2],
      ['age_3_7', 3, 7],
      ['age_8_14', 8, 14],
      ['age_15_30', 15, 30],
      ['age_over_30', 31, Infinity],
    ] as const) {
      expect(part(readings, 'open_backlog', key)?.value).toBe(count(now, (o) => o.age >= lo && o.age <= hi));
      expect(part(readings, 'open_backlog', key)?.previous).toBe(count(then, (o) => o.age >= lo && o.age <= hi));
    }
    const web = now.filter((o) => o.order.channel === 'web');
    expect(value(await board({ channel: 'web' }), 'open_backlog')).toBe(web.length);
  });

  it('fulfilment cost per order: shipping cost and pick/pack per unit over orders first shipped', async () => {
    const f = factsOf(sent);
    const orders = shippedOrders(f, TODAY.from, TODAY.to);
    expect(value(await board(), 'fulfilment_cost_per_order')).toBeCloseTo(shippingCost(f, TODAY) / orders.length, 4);
  });

  it('a rebuild from the facts tables gives every reading again', async () => {
    const views: Partial<BoardView>[] = [{}, { range: '7d' }, { category: 'apparel' }, { warehouse: 'WH-WEST' }];
    const before = await Promise.all(views.map((v) => board(v)));
    // In parts of the entities, as a long history is rebuilt: each entity in exactly one part.
    await createKpiLedger(analytics, ledgerFamilies, { rebuildParts: 3 }).rebuild();
    const after = await Promise.all(views.map((v) => board(v)));
    expect(after.map((m) => [...m.values()])).toEqual(before.map((m) => [...m.values()]));
    expect(before[0].get('fill_rate')?.value).not.toBeNull();
  });
});
