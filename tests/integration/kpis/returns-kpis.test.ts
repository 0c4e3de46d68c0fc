import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { periodsOf, type BoardFilters, type BoardView } from '@/analytics/kpis/board-view';
import { RETURN_REASONS } from '@/analytics/kpis/catalogue/returns-kpis';
import { ledgerFamilies } from '@/analytics/kpis/families/ledger-families';
import { REFUND_AGE_BUCKETS } from '@/analytics/kpis/families/refund-age-buckets';
import { kpiCatalogue } from '@/analytics/kpis/kpi-catalogue';
import { readKpis, type KpiReading } from '@/analytics/kpis/kpi-readings';
import { createKpiLedger } from '@/analytics/kpis/ledger/kpi-ledger';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService, type IngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import {
  createModel,
  nearestRank,
  orderEvent,
  productEvent,
  refundEvents,
  returnProgressEvents,
  returnRequestedEvent,
  shipmentEvent,
  windowOf,
  type Event,
} from './after-sales-fixture';
import { corrected, returnFix, shipmentFix, world } from './after-sales-world';

// Return rate, processing time, refund turnaround and backlog, recovery, net sales and gross
// margin after returns over a known event set: duplicates, events late and out of order, and
// corrections. Expected values come from the data through after-sales-fixture's model.
const NOW = new Date('2026-03-10T15:30:00.000Z');
const KEYS = [
  'return_rate',
  'return_processing_time',
  'refund_turnaround',
  'refund_backlog',
  'recovery_rate',
  'net_sales',
  'gross_margin_after_returns',
];

let analytics: Analytics;
let ingest: IngestService;

async function submit(events: Event[]) {
  const result = await ingest.submit(events, 'test');
  expect(result.rejected).toEqual([]);
}

async function board(view: Partial<BoardView>, filters: BoardFilters = {}): Promise<Map<string, KpiReading>> {
  await ingest.flush(); // the ledger follows stored events off the write path: wait for it
  const kpis = kpiCatalogue.filter((k) => KEYS.includes(k.key));
  const periods = periodsOf({ range: 'today', ...view } as BoardView, NOW);
  const readings = await readKpis({ analytics }, kpis, { periods, filters, now: NOW });
  return new Map(readings.map((r) => [r.key, r]));
}
const windows = (range: BoardView['range']) => {
  const p = periodsOf({ range } as BoardView, NOW);
  return { current: windowOf(p.current), previous: windowOf(p.previous) };
};
const part = (r: KpiReading | undefined, key: string) => r?.parts.find((p) => p.key === key)?.value;
/** A sketch percentile is within ±1 % of the exact one. */
const expectNear = (actual: number | null | undefined, want: number | null) => {
  if (want === null) return expect(actual).toBeNull();
  expect(Math.abs((actual ?? NaN) / want - 1)).toBeLessThanOrEqual(0.011);
};
/** The fulfilment family writes shipping cost; until it is registered the margin has none. */
const shippingCostKept = () => ledgerFamilies.some((f) => f.metrics.includes('ship.shipping_cost'));

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kpi-returns-'));
  analytics = await openAnalytics({ dataDir, maxMemoryBytes: 1 << 30 });
  await migrateAnalytics(analytics);
  ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 5 });
  const late = world.orders.find((o) => o.id === 'SO-5');
  const requests = world.returns.map((r) => returnRequestedEvent(r));
  const progress = world.returns.flatMap(returnProgressEvents);
  const refunds = world.refunds.flatMap(refundEvents);
  await submit(world.products.map(productEvent));
  await submit(world.orders.filter((o) => o !== late).map((o) => orderEvent(o)));
  await submit(world.shipments.map((s) => shipmentEvent(s)));
  // R-6 is received before its request arrives; F-2 is issued before its request arrives.
  await submit(progress.filter((e) => e.type === 'return.received' && e.id === 'rc-R-6'));
  await submit(refunds.filter((e) => e.id === 'fi-F-2'));
  await submit(requests);
  await submit(progress);
  await submit(refunds);
  // a producer's retry of everything so far, then the order that arrived last of all
  await submit([...world.orders.filter((o) => o !== late).map((o) => orderEvent(o)), ...requests, ...refunds]);
  if (late) await submit([orderEvent(late)]);
  await submit([shipmentEvent(shipmentFix, 's-SH-4-fix'), returnRequestedEvent(returnFix, 'rr-R-6-fix')]);
});

afterAll(async () => {
  await ingest?.close();
  await analytics?.close();
});

const model = createModel(corrected);

describe('return rate by reason, on the ship cohort', () => {
  it('today and the day before: units returned (not rejected) ÷ units shipped, with the reason mix', async () => {
    const readings = (await board({})).get('return_rate');
    const { current, previous } = windows('today');
    const want = model.returnCohort(current, {});
    expect(want.total).toBeGreaterThan(0);
    expect(readings?.value).toBeCloseTo(want.rate ?? NaN, 6);
    expect(readings?.previous).toBeCloseTo(model.returnCohort(previous, {}).rate ?? NaN, 6);
    for (const reason of RETURN_REASONS)
      expect(part(readings, `reason_${reason.code}`) ?? 0).toBeCloseTo(
        (want.returned.get(reason.code) ?? 0) / want.total,
        6,
      );
    const known = new Set<string>(RETURN_REASONS.map((r) => r.code));
    const other = [...want.returned].filter(([code]) => !known.has(code)).reduce((a, [, n]) => a + n, 0);
    expect(other).toBeGreaterThan(0);
    expect(part(readings, 'reason_other')).toBeCloseTo(other / want.total, 6);
  });

  it('over 30 days, and filtered by channel, region, category and warehouse', async () => {
    const { current } = windows('30d');
    const filters: BoardFilters[] = [
      {},
      { channel: 'web' },
      { region: 'east' },
      { category: 'apparel' },
      { warehouse: 'east' },
    ];
    for (const filter of filters) {
      const want = model.returnCohort(current, filter).rate;
      expect((await board({ range: '30d' }, filter)).get('return_rate')?.value).toBeCloseTo(want ?? NaN, 6);
    }
  });
});

describe('return processing time and refund turnaround', () => {
  it('p90 and p50 of return.received → return.inspected, today and over 7 days by warehouse', async () => {
    const today = (await board({})).get('return_processing_time');
    const hours = model.processingHours(windows('today').current, {});
    expect(hours.length).toBeGreaterThan(1);
    expectNear(today?.value, nearestRank(hours, 0.9));
    expectNear(part(today, 'p50'), nearestRank(hours, 0.5));
    const west = (await board({ range: '7d' }, { warehouse: 'west' })).get('return_processing_time');
    expectNear(west?.value, nearestRank(model.processingHours(windows('7d').current, { warehouse: 'west' }), 0.9));
  });

  it('p90 and p50 of the refund turnaround in days, from receipt or from the request', async () => {
    for (const range of ['today', '7d'] as const) {
      const reading = (await board({ range })).get('refund_turnaround');
      const days = model.turnaroundDays(windows(range).current, {});
      expectNear(reading?.value, nearestRank(days, 0.9));
      expectNear(part(reading, 'p50'), nearestRank(days, 0.5));
    }
    const b2b = (await board({ range: '7d' }, { channel: 'b2b' })).get('refund_turnaround');
    expectNear(b2b?.value, nearestRank(model.turnaroundDays(windows('7d').current, { channel: 'b2b' }), 0.9));
  });
});

describe('refund backlog', () => {
  it('counts refunds open at the end of the range by age, now and a day before', async () => {
    const reading = (await board({})).get('refund_backlog');
    const { current, previous } = windows('today');
    const now = model.refundBacklog(current.to, {}, REFUND_AGE_BUCKETS);
    expect(now.byAge.size).toBeGreaterThan(2);
    expect(reading?.value).toBe(now.total);
    expect(reading?.previous).toBe(model.refundBacklog(previous.to, {}, REFUND_AGE_BUCKETS).total);
    for (const b of REFUND_AGE_BUCKETS) expect(part(reading, `age_${b.key}`) ?? 0).toBe(now.byAge.get(b.key) ?? 0);
    const web = (await board({}, { channel: 'web' })).get('refund_backlog');
    expect(web?.value).toBe(model.refundBacklog(current.to, { channel: 'web' }, REFUND_AGE_BUCKETS).total);
  });
});

describe('recovery rate', () => {
  it('recovery value ÷ original sale value of the lines inspected in the range that state one', async () => {
    for (const range of ['today', '7d'] as const) {
      const reading = (await board({ range })).get('recovery_rate');
      const want = model.recovery(windows(range).current, {});
      expect(reading?.value).toBeCloseTo(want.rate ?? NaN, 6);
      expect(part(reading, 'recovered')).toBeCloseTo(want.recovered, 4);
    }
    const home = (await board({}, { category: 'home' })).get('recovery_rate');
    expect(home?.value).toBeCloseTo(model.recovery(windows('today').current, { category: 'home' }).rate ?? NaN, 6);
  });
});

describe('net sales and gross margin after returns', () => {
  it('net sales subtract the refunds issued in the range', async () => {
    const reading = (await board({})).get('net_sales');
    expect(reading?.value).toBeCloseTo(model.margin(windows('today').current, {}, false).netSales, 4);
    expect(reading?.previous).toBeCloseTo(model.margin(windows('today').previous, {}, false).netSales, 4);
    const apparel = (await board({ range: '30d' }, { category: 'apparel' })).get('net_sales');
    expect(apparel?.value).toBeCloseTo(
      model.margin(windows('30d').current, { category: 'apparel' }, false).netSales,
      4,
    );
  });

  it('over 30 days, whole and for one channel, term by term', async () => {
    for (const filter of [{}, { channel: 'web' }]) {
      const reading = (await board({ range: '30d' }, filter)).get('gross_margin_after_returns');
      const want = model.margin(windows('30d').current, filter, shippingCostKept());
      expect(want.losses).toBeGreaterThan(0);
      expect(part(reading, 'net_sales')).toBeCloseTo(want.netSales, 4);
      expect(part(reading, 'cogs_kept')).toBeCloseTo(want.cogsKept, 4);
      expect(part(reading, 'refund_losses')).toBeCloseTo(want.losses, 4);
      expect(part(reading, 'recovery')).toBeCloseTo(want.recovered, 4);
      expect(part(reading, 'gross_margin')).toBeCloseTo(want.grossMargin, 4);
      expect(reading?.value).toBeCloseTo(want.rate ?? NaN, 6);
    }
  });
});

describe('the ledger', () => {
  it('a rebuild from the facts tables reads the same as the ingest writer kept it', async () => {
    const views: [Partial<BoardView>, BoardFilters][] = [
      [{}, {}],
      [{ range: '30d' }, {}],
      [{ range: '7d' }, { channel: 'web' }],
      [{ range: '30d' }, { category: 'apparel' }],
    ];
    const before = await Promise.all(views.map(([v, f]) => board(v, f)));
    // In parts of the entities, as a long history is rebuilt: each entity in exactly one part.
    await createKpiLedger(analytics, ledgerFamilies, { rebuildParts: 3 }).rebuild();
    const after = await Promise.all(views.map(([v, f]) => board(v, f)));
    expect(after.map((m) => [...m.values()])).toEqual(before.map((m) => [...m.values()]));
  });
});
