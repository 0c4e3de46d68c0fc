import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { FILTER_DIMENSIONS, periodsOf, type BoardFilters, type BoardView } from '@/analytics/kpis/board-view';
import { fulfilmentKpis } from '@/analytics/kpis/catalogue/fulfilment-kpis';
import { readKpiBreakdown } from '@/analytics/kpis/kpi-breakdown';
import { kpiDefinition } from '@/analytics/kpis/kpi-catalogue';
import { readKpis } from '@/analytics/kpis/kpi-readings';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService, type IngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';

// A level (open backlog) is a running total since the ledger began: its balance at the start of a
// range sums whole months from the monthly sums — per slice for one filter, every combination for
// two — then days and hours. Orders placed months before the range, closed in later months or
// never, are counted here from the input and compared with the board, its filters and a breakdown.
const NOW = new Date('2026-03-10T15:30:00.000Z');

interface Order {
  id: string;
  channel: string;
  region: string;
  placed: string;
  /** When it first shipped, if it did. */
  shipped?: string;
}

const CHANNELS = ['web', 'marketplace', 'b2b'];
const REGIONS = ['west', 'east'];
const PLACED = ['2025-11-20T10:00:00Z', '2026-01-05T09:00:00Z', '2026-01-28T17:00:00Z', '2026-02-14T12:00:00Z'];
const SHIPPED = [
  undefined,
  '2026-01-30T08:00:00Z',
  '2026-02-20T11:00:00Z',
  '2026-03-09T10:00:00Z',
  '2026-03-10T09:00:00Z',
];

// Every channel × region × placement × fate, an order each; a shipment never comes before its order.
const orders: Order[] = CHANNELS.flatMap((channel, c) =>
  REGIONS.flatMap((region, r) =>
    PLACED.flatMap((placed, p) =>
      SHIPPED.filter((shipped) => shipped === undefined || shipped > placed).map((shipped, s) => ({
        id: `L-${c}${r}${p}${s}`,
        channel,
        region,
        placed,
        shipped,
      })),
    ),
  ),
);

const events = orders.flatMap((o) => [
  {
    id: `c-${o.id}`,
    type: 'order.created',
    occurred_at: o.placed,
    source: 'test',
    data: { order_id: o.id, channel: o.channel, region: o.region, lines: [{ sku: 'TEE', qty: 1, unit_price: 10 }] },
  },
  ...(o.shipped
    ? [
        {
          id: `s-${o.id}`,
          type: 'order.shipped',
          occurred_at: o.shipped,
          source: 'test',
          data: {
            order_id: o.id,
            shipment_id: `SH-${o.id}`,
            warehouse: 'WH-EAST',
            carrier: 'dhl',
            lines: [{ sku: 'TEE', qty: 1 }],
          },
        },
      ]
    : []),
]);

/** Orders open at `at`: placed before it and not shipped before it. */
const openAt = (at: number, match: (o: Order) => boolean = () => true) =>
  orders.filter((o) => match(o) && Date.parse(o.placed) < at && (!o.shipped || Date.parse(o.shipped) >= at)).length;

let analytics: Analytics;
let ingest: IngestService;

async function openBacklog(view: BoardView) {
  const filters: BoardFilters = Object.fromEntries(FILTER_DIMENSIONS.flatMap((d) => (view[d] ? [[d, view[d]]] : [])));
  const [reading] = await readKpis(
    { analytics },
    fulfilmentKpis.filter((k) => k.key === 'open_backlog'),
    { periods: periodsOf(view, NOW), filters, now: NOW },
  );
  return reading;
}

beforeAll(async () => {
  analytics = await openAnalytics({
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'kpi-level-opening-')),
    maxMemoryBytes: 1 << 30,
  });
  await migrateAnalytics(analytics);
  ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 5 });
  await ingest.submit(events, 'test');
  await ingest.flush();
});

afterAll(async () => {
  await ingest?.close();
  await analytics?.close();
});

describe('a level KPI whose balance starts months before the range', () => {
  // The ledger counts the hour in progress: "now" is the end of 15:00–16:00, the range before
  // ends 24 hours earlier (today against yesterday's same hours), a 7-day range's a week earlier.
  const END = Date.parse('2026-03-10T16:00:00Z');
  const DAY = 86_400_000;

  it('is the same with no filter, one filter and two, and against the range before', async () => {
    expect(orders.length).toBeGreaterThan(50);
    const views: { view: BoardView; match: (o: Order) => boolean }[] = [
      { view: { range: 'today' }, match: () => true },
      { view: { range: 'today', channel: 'web' }, match: (o) => o.channel === 'web' },
      { view: { range: 'today', region: 'east' }, match: (o) => o.region === 'east' },
      {
        view: { range: 'today', channel: 'b2b', region: 'west' },
        match: (o) => o.channel === 'b2b' && o.region === 'west',
      },
      { view: { range: '7d', channel: 'marketplace' }, match: (o) => o.channel === 'marketplace' },
    ];
    for (const { view, match } of views) {
      const reading = await openBacklog(view);
      const before = view.range === '7d' ? END - 7 * DAY : END - DAY;
      expect(reading.value, JSON.stringify(view)).toBe(openAt(END, match));
      expect(reading.previous, JSON.stringify(view)).toBe(openAt(before, match));
      expect(reading.value).toBeGreaterThan(0);
    }
  });

  it('breaks down by channel, alone and narrowed by a region, each slice from its own monthly sums', async () => {
    const kpi = kpiDefinition('open_backlog');
    if (!kpi) throw new Error('open_backlog is not in the catalogue');
    for (const region of [undefined, 'west']) {
      const rows = await readKpiBreakdown({ analytics }, kpi, {
        periods: periodsOf({ range: 'today' }, NOW),
        filters: region ? { region } : {},
        dimension: 'channel',
        now: NOW,
      });
      const want = CHANNELS.map((c) => [c, openAt(END, (o) => o.channel === c && (!region || o.region === region))]);
      expect(Object.fromEntries(rows.map((r) => [r.value, r.reading])), region).toEqual(Object.fromEntries(want));
    }
  });
});
