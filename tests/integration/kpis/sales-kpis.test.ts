import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { periodsOf, type BoardView } from '@/analytics/kpis/board-view';
import { kpiCatalogue } from '@/analytics/kpis/kpi-catalogue';
import { readKpis, type KpiReading } from '@/analytics/kpis/kpi-readings';
import { createKpiLedger } from '@/analytics/kpis/ledger/kpi-ledger';
import { ledgerFamilies } from '@/analytics/kpis/families/ledger-families';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService, type IngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';

// Orders, units and gross sales over a known event set: duplicates, a late order and a corrected
// order included. Expected values are computed here from the input, never with the SQL under test.
const NOW = new Date('2026-03-10T15:30:00.000Z');

interface Line {
  sku: string;
  qty: number;
  unit_price: number;
  discount?: number;
}
interface Order {
  id: string;
  at: string;
  channel: string;
  region: string;
  lines: Line[];
}

const products = [
  { sku: 'TEE', category: 'apparel' },
  { sku: 'MUG', category: 'home' },
  { sku: 'CAP', category: 'apparel' },
];
const categoryOf = (sku: string) => products.find((p) => p.sku === sku)?.category ?? '';

const orders: Order[] = [
  {
    id: 'SO-1',
    at: '2026-03-10T08:00:00Z',
    channel: 'web',
    region: 'west',
    lines: [
      { sku: 'TEE', qty: 2, unit_price: 19.9, discount: 2 },
      { sku: 'MUG', qty: 1, unit_price: 45.5 },
    ],
  },
  {
    id: 'SO-2',
    at: '2026-03-10T09:15:00Z',
    channel: 'amazon',
    region: 'east',
    lines: [{ sku: 'CAP', qty: 3, unit_price: 12.25 }],
  },
  {
    id: 'SO-3',
    at: '2026-03-10T14:59:59Z',
    channel: 'web',
    region: 'east',
    lines: [{ sku: 'MUG', qty: 4, unit_price: 9.99, discount: 0.96 }],
  },
  // yesterday: the previous range for "today" is yesterday up to the same time (15:00 → whole hour)
  {
    id: 'SO-4',
    at: '2026-03-09T10:00:00Z',
    channel: 'web',
    region: 'west',
    lines: [{ sku: 'TEE', qty: 1, unit_price: 19.9 }],
  },
  {
    id: 'SO-5',
    at: '2026-03-09T20:00:00Z',
    channel: 'web',
    region: 'west',
    lines: [{ sku: 'TEE', qty: 5, unit_price: 19.9 }],
  },
  // nine days ago: in the last 30 days, not the last 7
  {
    id: 'SO-6',
    at: '2026-03-01T12:00:00Z',
    channel: 'b2b',
    region: 'south',
    lines: [{ sku: 'SKU-UNKNOWN', qty: 10, unit_price: 3 }],
  },
];
// A late order: placed today, arriving last (after a batch with later orders).
const late: Order = {
  id: 'SO-7',
  at: '2026-03-10T07:00:00Z',
  channel: 'amazon',
  region: 'west',
  lines: [{ sku: 'TEE', qty: 1, unit_price: 19.9 }],
};

const event = (id: string, o: Order) => ({
  id,
  type: 'order.created',
  occurred_at: o.at,
  source: 'test',
  data: { order_id: o.id, channel: o.channel, region: o.region, lines: o.lines },
});
const lineValue = (l: Line) => l.qty * l.unit_price - (l.discount ?? 0);

function expected(os: Order[], from: string, to: string, filter: (o: Order, l: Line) => boolean = () => true) {
  const inRange = os.filter((o) => o.at >= from && o.at < to);
  let orderCount = 0;
  let units = 0;
  let sales = 0;
  for (const o of inRange) {
    const largest = [...o.lines].sort((a, b) => b.qty * b.unit_price - a.qty * a.unit_price)[0];
    if (filter(o, largest)) orderCount++;
    for (const l of o.lines) {
      if (!filter(o, l)) continue;
      units += l.qty;
      sales += lineValue(l);
    }
  }
  return { orders: orderCount, units, sales };
}

let analytics: Analytics;
let ingest: IngestService;

async function board(view: Partial<BoardView>): Promise<Map<string, KpiReading>> {
  await ingest.flush(); // the ledger follows stored events off the write path: wait for it
  const full = { range: 'today', ...view } as BoardView;
  const kpis = kpiCatalogue.filter((k) => ['orders', 'gross_sales'].includes(k.key));
  const filters = Object.fromEntries(
    Object.entries(view).filter(([k]) => ['channel', 'region', 'warehouse', 'category'].includes(k)),
  );
  const readings = await readKpis({ analytics }, kpis, { periods: periodsOf(full, NOW), filters, now: NOW });
  return new Map(readings.map((r) => [r.key, r]));
}

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kpi-sales-'));
  analytics = await openAnalytics({ dataDir, maxMemoryBytes: 1 << 30 });
  await migrateAnalytics(analytics);
  ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 5 });
  await ingest.submit(
    products.map((p, i) => ({
      id: `p-${i}`,
      type: 'product.updated',
      occurred_at: '2026-01-01T00:00:00Z',
      source: 'test',
      data: p,
    })),
    'test',
  );
  await ingest.submit(
    orders.map((o) => event(`e-${o.id}`, o)),
    'test',
  );
  // the same events again (a producer's retry), then the late order
  await ingest.submit(
    orders.map((o) => event(`e-${o.id}`, o)),
    'test',
  );
  await ingest.submit([event('e-late', late)], 'test');
});

afterAll(async () => {
  await ingest?.close();
  await analytics?.close();
});

const all = () => [...orders, late];

describe('sales KPIs from the ledger', () => {
  it('counts today’s orders, units and gross sales once, late ones included', async () => {
    const readings = await board({});
    const want = expected(all(), '2026-03-10T00:00:00Z', '2026-03-11T00:00:00Z');
    expect(readings.get('orders')?.value).toBe(want.orders);
    expect(readings.get('orders')?.parts[0].value).toBe(want.units);
    expect(readings.get('gross_sales')?.value).toBeCloseTo(want.sales, 4);
  });

  it('compares with yesterday up to the same hour', async () => {
    const readings = await board({});
    const want = expected(all(), '2026-03-09T00:00:00Z', '2026-03-09T16:00:00Z');
    expect(readings.get('orders')?.previous).toBe(want.orders);
    expect(readings.get('gross_sales')?.previous).toBeCloseTo(want.sales, 4);
  });

  it('reads 30 days from daily rows and hours, with a daily trend', async () => {
    const readings = await board({ range: '30d' });
    const want = expected(all(), '2026-02-09T00:00:00Z', '2026-03-11T00:00:00Z');
    expect(readings.get('orders')?.value).toBe(want.orders);
    const series = readings.get('orders')?.series ?? [];
    expect(series).toHaveLength(30);
    expect(series.find((p) => p.at === '2026-03-01')?.value).toBe(1);
    expect(series.find((p) => p.at === '2026-03-09')?.value).toBe(2);
  });

  it('applies channel and category filters to lines and orders', async () => {
    const web = await board({ range: '7d', channel: 'web' });
    const wantWeb = expected(all(), '2026-03-04T00:00:00Z', '2026-03-11T00:00:00Z', (o) => o.channel === 'web');
    expect(web.get('gross_sales')?.value).toBeCloseTo(wantWeb.sales, 4);
    expect(web.get('orders')?.value).toBe(wantWeb.orders);

    const apparel = await board({ range: '7d', category: 'apparel' });
    const wantApparel = expected(
      all(),
      '2026-03-04T00:00:00Z',
      '2026-03-11T00:00:00Z',
      (_o, l) => categoryOf(l.sku) === 'apparel',
    );
    expect(apparel.get('gross_sales')?.value).toBeCloseTo(wantApparel.sales, 4);
    expect(apparel.get('orders')?.value).toBe(wantApparel.orders);
  });

  it('a correction of an order moves the numbers by the difference, and a rebuild agrees', async () => {
    const corrected: Order = { ...orders[1], lines: [{ sku: 'CAP', qty: 1, unit_price: 12.25 }] };
    await ingest.submit([event('e-SO-2-fix', corrected)], 'test');
    const after = all().map((o) => (o.id === corrected.id ? corrected : o));
    const want = expected(after, '2026-03-10T00:00:00Z', '2026-03-11T00:00:00Z');
    expect((await board({})).get('gross_sales')?.value).toBeCloseTo(want.sales, 4);

    // In parts of the entities, as a long history is rebuilt: each entity in exactly one part.
    await createKpiLedger(analytics, ledgerFamilies, { rebuildParts: 3 }).rebuild();
    expect((await board({})).get('gross_sales')?.value).toBeCloseTo(want.sales, 4);
    expect((await board({})).get('orders')?.value).toBe(want.orders);
  });
});
