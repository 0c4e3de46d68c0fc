import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '@/analytics/board/board-snapshot';
import { computeBoardView } from '@/analytics/board/compute-board-view';
import { createLiveBoards, type LiveBoards } from '@/analytics/board/live-board';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { boardViewQuery, boardViewSchema, periodsOf, type BoardView } from '@/analytics/kpis/board-view';
import { parseDrillView } from '@/analytics/kpis/drill-view';
import { readKpiBreakdown } from '@/analytics/kpis/kpi-breakdown';
import { kpiCatalogue, kpiDefinition } from '@/analytics/kpis/kpi-catalogue';
import { readKpiDrillDown } from '@/analytics/kpis/kpi-drill-down';
import {
  changeKpiTarget,
  InvalidTargetError,
  listTargetsInForce,
  targetsInForceMap,
} from '@/analytics/kpis/kpi-targets';
import { ledgerFamilies } from '@/analytics/kpis/families/ledger-families';
import { createKpiLedger, type KpiLedger } from '@/analytics/kpis/ledger/kpi-ledger';
import { listKpiEntities } from '@/analytics/kpis/list-kpi-entities';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService, type IngestService } from '@/ingest/ingest-service';
import { migrateActions } from '@/lib/actions/action-tables';
import { listAudit } from '@/lib/actions/audit-log';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import type { LiveBus } from '@/lib/bus/live-bus';
import { migrateExceptionWorkflow } from '@/lib/exceptions/workflow-schema';
import { migrateKpiTargets } from '@/lib/targets/kpi-target-store';
import { openPgSchemaStore } from '../../support/pg-schema';

// The board view, its drill-down and entity list, targets and the live registry over a known
// order set (a duplicate and a late order included). Expected figures are computed here from the
// input, never with the SQL under test.
const NOW = new Date('2026-03-10T15:30:00.000Z');

interface Order {
  id: string;
  at: string;
  channel: string;
  region: string;
  lines: { sku: string; qty: number; unit_price: number }[];
}
const products = [
  { sku: 'TEE', category: 'apparel' },
  { sku: 'MUG', category: 'home' },
];
const orders: Order[] = [
  {
    id: 'BV-1',
    at: '2026-03-10T08:10:00Z',
    channel: 'web',
    region: 'west',
    lines: [{ sku: 'TEE', qty: 2, unit_price: 20 }],
  },
  {
    id: 'BV-2',
    at: '2026-03-10T09:20:00Z',
    channel: 'amazon',
    region: 'east',
    lines: [{ sku: 'MUG', qty: 1, unit_price: 12.5 }],
  },
  {
    id: 'BV-3',
    at: '2026-03-10T11:00:00Z',
    channel: 'web',
    region: 'east',
    lines: [
      { sku: 'MUG', qty: 3, unit_price: 9 },
      { sku: 'TEE', qty: 1, unit_price: 20 },
    ],
  },
  {
    id: 'BV-4',
    at: '2026-03-09T10:00:00Z',
    channel: 'web',
    region: 'west',
    lines: [{ sku: 'TEE', qty: 1, unit_price: 20 }],
  },
  {
    id: 'BV-5',
    at: '2026-03-06T10:00:00Z',
    channel: 'b2b',
    region: 'south',
    lines: [{ sku: 'MUG', qty: 10, unit_price: 8 }],
  },
];
const late: Order = {
  id: 'BV-6',
  at: '2026-03-10T07:00:00Z',
  channel: 'amazon',
  region: 'west',
  lines: [{ sku: 'TEE', qty: 1, unit_price: 20 }],
};

const event = (id: string, o: Order) => ({
  id,
  type: 'order.created',
  occurred_at: o.at,
  source: 'test',
  data: { order_id: o.id, channel: o.channel, region: o.region, lines: o.lines },
});
const sales = (o: Order) => o.lines.reduce((s, l) => s + l.qty * l.unit_price, 0);
const within = (os: Order[], from: string, to: string) => os.filter((o) => o.at >= from && o.at < to);
const view = (v: Record<string, string> = {}): BoardView => boardViewSchema.parse(v);
const parseView = (key: string): BoardView => view(Object.fromEntries(new URLSearchParams(key)));
const tile = (s: BoardSnapshot, key: string) => {
  const t = s.tiles.find((x) => x.key === key);
  if (!t) throw new Error(`no tile ${key}`);
  return t;
};

let analytics: Analytics;
let ledger: KpiLedger;
let ingest: IngestService;
let bus: LiveBus;
let known: Order[] = [];
let pg: Awaited<ReturnType<typeof openPgSchemaStore>>;

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'board-view-'));
  analytics = await openAnalytics({ dataDir, maxMemoryBytes: 1 << 30 });
  await migrateAnalytics(analytics);
  bus = createInProcessBus();
  ledger = createKpiLedger(analytics, ledgerFamilies);
  ingest = createIngestService({ analytics, bus, ledger, maxBatchDelayMs: 5 });
  await ingest.submit(
    products.map((p, i) => ({
      id: `bv-p-${i}`,
      type: 'product.updated',
      occurred_at: '2026-01-01T00:00:00Z',
      source: 'test',
      data: p,
    })),
    'test',
  );
  await ingest.submit(
    orders.map((o) => event(`bv-${o.id}`, o)),
    'test',
  );
  await ingest.submit([event(`bv-${orders[0].id}`, orders[0])], 'test'); // a producer's retry
  await ingest.submit([event('bv-late', late)], 'test');
  await ingest.flush(); // the ledger follows stored events off the write path: wait for it
  known = [...orders, late];
  pg = await openPgSchemaStore('board_view');
  await migrateActions(pg.store.db);
  await migrateExceptionWorkflow(pg.store.db);
  await migrateKpiTargets(pg.store.db);
  await migrateKpiTargets(pg.store.db); // safe to run at every start
});

afterAll(async () => {
  await ingest?.close();
  await analytics?.close();
  await pg?.drop();
});

describe('computeBoardView', () => {
  it('has a tile per catalogue KPI with value, previous, hourly series and the default target', async () => {
    const s = await computeBoardView({ analytics }, view(), NOW, new Map());
    expect(s.tiles.map((t) => t.key)).toEqual(kpiCatalogue.map((k) => k.key));
    const today = within(known, '2026-03-10', '2026-03-11');
    const before = within(known, '2026-03-09', '2026-03-09T16:00:00Z');
    expect(tile(s, 'orders').value).toBe(today.length);
    expect(tile(s, 'orders').previous).toBe(before.length);
    expect(tile(s, 'gross_sales').value).toBeCloseTo(
      today.reduce((a, o) => a + sales(o), 0),
      4,
    );
    const series = tile(s, 'orders').series;
    expect(series).toHaveLength(16); // 00:00 … 15:00
    expect(series.find((p) => p.at === '2026-03-10 08:00:00')?.value).toBe(1);
    for (const kpi of kpiCatalogue) expect(tile(s, kpi.key).target).toEqual(kpi.target ?? null);
    expect(s.viewKey).toBe('');
    expect(s.periods.grain).toBe('hour');
  });

  it('applies the filters a tile supports and names the ones it cannot', async () => {
    const s = await computeBoardView(
      { analytics },
      view({ range: '7d', channel: 'web', warehouse: 'east' }),
      NOW,
      new Map(),
    );
    const web = within(known, '2026-03-04', '2026-03-11').filter((o) => o.channel === 'web');
    expect(tile(s, 'orders').value).toBe(web.length);
    expect(tile(s, 'orders').unfiltered).toEqual(['warehouse']);
    expect(s.viewKey).toBe('range=7d&channel=web&warehouse=east');
    expect(tile(s, 'orders').series).toHaveLength(7);
  });

  it('colours a tile by the target in force', async () => {
    const today = within(known, '2026-03-10', '2026-03-11').length;
    const targets = new Map([['orders', { direction: 'at_least' as const, value: today + 1, amber: 1 }]]);
    expect(tile(await computeBoardView({ analytics }, view(), NOW, targets), 'orders').status).toBe('amber');
    targets.set('orders', { direction: 'at_least', value: today + 5, amber: 1 });
    expect(tile(await computeBoardView({ analytics }, view(), NOW, targets), 'orders').status).toBe('red');
    targets.set('orders', { direction: 'at_least', value: today, amber: 1 });
    expect(tile(await computeBoardView({ analytics }, view(), NOW, targets), 'orders').status).toBe('green');
  });
});

describe('drill-down', () => {
  const gross = () => {
    const k = kpiDefinition('gross_sales');
    if (!k) throw new Error('gross_sales is not in the catalogue');
    return k;
  };

  it('breaks a KPI down by channel and category, each row by the tile’s own formula', async () => {
    const periods = periodsOf(view({ range: '7d' }), NOW);
    const week = within(known, '2026-03-04', '2026-03-11');
    const byChannel = await readKpiBreakdown({ analytics }, gross(), { periods, filters: {}, dimension: 'channel', now: NOW });
    const want = new Map<string, number>();
    for (const o of week) want.set(o.channel, (want.get(o.channel) ?? 0) + sales(o));
    expect(new Map(byChannel.map((r) => [r.value, r.reading]))).toEqual(want);
    expect(byChannel[0].reading).toBe(Math.max(...want.values()));

    const byCategory = await readKpiBreakdown({ analytics }, gross(), {
      periods,
      filters: { channel: 'web' },
      dimension: 'category',
      now: NOW,
    });
    const apparel = week
      .filter((o) => o.channel === 'web')
      .flatMap((o) => o.lines)
      .filter((l) => l.sku === 'TEE')
      .reduce((a, l) => a + l.qty * l.unit_price, 0);
    expect(byCategory.find((r) => r.value === 'apparel')?.reading).toBeCloseTo(apparel, 4);
    expect(await readKpiBreakdown({ analytics }, gross(), { periods, filters: {}, dimension: 'warehouse', now: NOW })).toEqual([]);
  });

  it('lists the orders behind a number, whose contributions add up to the tile', async () => {
    const period = periodsOf(view(), NOW).current;
    const groups = await listKpiEntities(analytics, gross(), { period, filters: { region: 'west' }, limit: 50 });
    const want = within(known, '2026-03-10', '2026-03-11').filter((o) => o.region === 'west');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ family: 'order-lines', keys: 'order' });
    expect(groups[0].entities.map((e) => e.key).sort()).toEqual(want.map((o) => o.id).sort());
    for (const e of groups[0].entities) {
      expect(e.values['orders.gross_sales']).toBeCloseTo(sales(want.find((o) => o.id === e.key) ?? want[0]), 4);
    }
    // largest first, and a limit cuts the list
    const top = await listKpiEntities(analytics, gross(), { period, filters: {}, limit: 1 });
    const today = within(known, '2026-03-10', '2026-03-11');
    expect(top[0].entities.map((e) => e.key)).toEqual([[...today].sort((a, b) => sales(b) - sales(a))[0].id]);
    expect(top[0].truncated).toBe(true);
  });

  it('reads a whole drill-down from the URL: breakdowns left for the dimensions not narrowed, and the list', async () => {
    const drill = parseDrillView(new URLSearchParams('range=7d&channel=amazon&list=1'));
    const d = await readKpiDrillDown({ analytics }, gross(), drill, NOW);
    const amazon = within(known, '2026-03-04', '2026-03-11').filter((o) => o.channel === 'amazon');
    expect(d.reading?.value).toBeCloseTo(
      amazon.reduce((a, o) => a + sales(o), 0),
      4,
    );
    expect(d.breakdowns.map((b) => b.dimension)).toEqual(['region', 'category']);
    expect(d.entities?.[0].entities.map((e) => e.key).sort()).toEqual(amazon.map((o) => o.id).sort());
  });
});

describe('targets in the transactional store', () => {
  const admin = { userId: 'admin-1', name: 'Ada Admin', role: 'admin' };

  it('starts from the catalogue, stores an admin’s target with an audit row, announces it, and resets', async () => {
    const announced: string[] = [];
    const stop = await bus.subscribe('targets', (m) => announced.push(m.kpiKey));
    const onTime = kpiDefinition('on_time_ship_rate');
    expect((await listTargetsInForce(pg.store.db)).find((t) => t.key === 'on_time_ship_rate')).toMatchObject({
      source: 'default',
      target: onTime?.target,
    });

    const set = await changeKpiTarget(
      { db: pg.store.db, bus },
      { kpiKey: 'orders', target: { direction: 'at_least', value: 100, amber: 10 }, admin },
    );
    expect(set).toMatchObject({
      source: 'admin',
      target: { direction: 'at_least', value: 100, amber: 10 },
      updatedBy: 'admin-1',
    });
    expect((await targetsInForceMap(pg.store.db)).get('orders')).toEqual({
      direction: 'at_least',
      value: 100,
      amber: 10,
    });
    const audit = await listAudit(pg.store.db, { action: 'set_kpi_target' });
    expect(audit.rows[0]).toMatchObject({
      actor_id: 'admin-1',
      entity_id: 'orders',
      before: { source: 'none', target: null },
      after: { source: 'admin' },
    });

    await expect(
      changeKpiTarget(
        { db: pg.store.db, bus },
        { kpiKey: 'on_time_ship_rate', target: { direction: 'at_least', value: 99.7, amber: 0.01 }, admin },
      ),
    ).rejects.toBeInstanceOf(InvalidTargetError);

    await changeKpiTarget({ db: pg.store.db, bus }, { kpiKey: 'orders', target: null, admin });
    expect((await targetsInForceMap(pg.store.db)).get('orders')).toBeNull();
    expect(announced).toEqual(['orders', 'orders']);
    await stop();
  });
});

describe('live boards', () => {
  let boards: LiveBoards;
  afterAll(async () => {
    await boards?.close();
  });

  it('recomputes each watched view once per ledger pass and pushes it; unwatched views are left alone', async () => {
    boards = await createLiveBoards({ analytics, store: pg.store, bus, ledger, now: () => NOW, refreshEveryMs: 3_600_000 });
    const pushes: BoardSnapshot[] = [];
    boards.onChange((s) => pushes.push(s));
    const web = boardViewQuery(view({ channel: 'web' }));
    const stopA = boards.watch(web);
    const stopB = boards.watch('channel=web'); // a second viewer of the same view
    const stopC = boards.watch(''); // today, unfiltered
    expect(boards.watched()).toEqual(
      new Map([
        [web, 2],
        ['', 1],
      ]),
    );

    const before = await boards.current(view({ channel: 'web' }));
    const extra: Order = {
      id: 'BV-LIVE',
      at: '2026-03-10T12:00:00Z',
      channel: 'web',
      region: 'west',
      lines: [{ sku: 'TEE', qty: 1, unit_price: 20 }],
    };
    await ingest.submit([event('bv-live', extra)], 'test');
    known = [...known, extra];
    await expect
      .poll(
        () =>
          pushes.filter((p) => p.viewKey === web && tile(p, 'orders').value === (tile(before, 'orders').value ?? 0) + 1)
            .length,
        { timeout: 5_000 },
      )
      .toBe(1);
    // one computation per view per tick, whatever the number of its viewers
    await expect.poll(() => pushes.filter((p) => p.viewKey === '').length, { timeout: 5_000 }).toBe(1);
    expect(pushes.filter((p) => p.viewKey === web)).toHaveLength(1);
    expect(pushes.some((p) => p.viewKey === 'range=7d')).toBe(false);

    // a target change recolours the watched views at once
    stopA();
    await changeKpiTarget(
      { db: pg.store.db, bus },
      {
        kpiKey: 'orders',
        target: { direction: 'at_most', value: 0, amber: 0 },
        admin: { userId: 'a', name: 'A', role: 'admin' },
      },
    );
    await expect
      .poll(
        () =>
          pushes
            .filter((p) => tile(p, 'orders').status === 'red')
            .map((p) => p.viewKey)
            .sort(),
        { timeout: 5_000 },
      )
      .toEqual(['', web]);
    stopB();
    stopC();
    expect(boards.watched().size).toBe(0);
    expect(tile(await boards.current(view()), 'orders').value).toBe(within(known, '2026-03-10', '2026-03-11').length);
  });

  it('reads stock ageing again only after a pass that stored stock events', async () => {
    let ageingReads = 0;
    const countedOn = (base: Analytics): Analytics => ({
      ...base,
      query: (q) => {
        if (q.name === 'kpi.stock-ageing') ageingReads++;
        return base.query(q);
      },
      inOneTurn: (work, lane) => base.inOneTurn((turn) => work(countedOn(turn)), lane),
    });
    const counted = countedOn(analytics);
    const live = await createLiveBoards({ analytics: counted, store: pg.store, bus, now: () => NOW, refreshEveryMs: 3_600_000 });
    try {
      const pushes: BoardSnapshot[] = [];
      live.onChange((s) => pushes.push(s));
      const stop = live.watch('');
      const order = (id: string): Order => ({ id, at: '2026-03-10T14:00:00Z', channel: 'web', region: 'west', lines: [{ sku: 'TEE', qty: 1, unit_price: 20 }] });
      const pushed = (n: number) => expect.poll(() => pushes.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(n);

      await ingest.submit([event('bv-age-1', order('BV-AGE-1'))], 'test');
      await pushed(1);
      const afterFirst = ageingReads;
      expect(afterFirst).toBeGreaterThan(0); // the range and the range before

      await ingest.submit([event('bv-age-2', order('BV-AGE-2'))], 'test');
      await pushed(2);
      expect(ageingReads).toBe(afterFirst); // orders do not move the ageing: reused

      await ingest.submit(
        [{ id: 'bv-age-snap', type: 'stock.snapshot', occurred_at: '2026-03-10T14:00:00Z', source: 'test', data: { warehouse: 'WH-AGE', sku: 'TEE', on_hand: 5, reserved: 0 } }],
        'test',
      );
      await expect
        .poll(() => pushes.map((p) => tile(p, 'stock_ageing').parts.find((part) => part.key === 'units')?.value).at(-1), { timeout: 5_000 })
        .toBe(5);
      expect(ageingReads).toBeGreaterThan(afterFirst);
      stop();
    } finally {
      await live.close();
    }
  });

  it('says when the ledger trails the stored events, pushing the watched views again without reading them', async () => {
    let reads = 0;
    const counted: Analytics = {
      ...analytics,
      query: (q) => {
        reads++;
        return analytics.query(q);
      },
      inOneTurn: (work, lane) => {
        reads++;
        return analytics.inOneTurn(work, lane);
      },
    };
    const live = await createLiveBoards({ analytics: counted, store: pg.store, bus, now: () => NOW, refreshEveryMs: 3_600_000 });
    try {
      const pushes: BoardSnapshot[] = [];
      live.onChange((s) => pushes.push(s));
      const stop = live.watch('range=7d');
      const computed = await live.current(view({ range: '7d' }));
      expect(computed.freshness.behind).toBeNull();
      const readsBefore = reads;

      const behind = { reason: 'rebuilding' as const, since: '2026-03-10T11:58:00.000Z' };
      await bus.publish('ledger-lag', { at: NOW.toISOString(), behind });
      await expect.poll(() => pushes.length, { timeout: 5_000 }).toBe(1);
      expect(pushes[0].freshness.behind).toEqual(behind);
      expect(pushes[0].tiles).toEqual(computed.tiles);
      expect((await live.current(view({ range: '7d' }))).freshness.behind).toEqual(behind);
      // the same news again (the worker's reminder) pushes nothing
      await bus.publish('ledger-lag', { at: NOW.toISOString(), behind: { ...behind } });
      await bus.publish('ledger-lag', { at: NOW.toISOString(), behind: null });
      await expect.poll(() => pushes.length, { timeout: 5_000 }).toBe(2);
      expect(pushes[1].freshness.behind).toBeNull();
      expect(reads).toBe(readsBefore);
      stop();
    } finally {
      await live.close();
    }
  });

  it('adds each pass to the sums it holds instead of reading the ledger again, and shows what a fresh read shows', async () => {
    let ledgerReads = 0;
    let freshnessReads = 0;
    let turns = 0;
    const countedOn = (base: Analytics): Analytics => ({
      ...base,
      query: (q) => {
        if (q.name.startsWith('kpi-ledger.read-')) ledgerReads++;
        if (q.name === 'board.data-freshness') freshnessReads++;
        return base.query(q);
      },
      inOneTurn: (work, lane) => {
        turns++;
        return base.inOneTurn((turn) => work(countedOn(turn)), lane);
      },
    });
    // The clock moves within the hour, as a wall screen's does between passes.
    let clock = NOW.getTime() - 20 * 60_000;
    const live = await createLiveBoards({
      analytics: countedOn(analytics),
      store: pg.store,
      bus,
      ledger,
      now: () => new Date((clock += 1_000)),
      refreshEveryMs: 3_600_000,
    });
    const keys = ['', 'channel=web', 'range=7d', 'range=30d&region=west', 'range=yesterday&category=apparel'];
    try {
      const pushes: BoardSnapshot[] = [];
      live.onChange((s) => pushes.push(s));
      const stops = keys.map((key) => live.watch(key));
      for (const key of keys) await live.current(parseView(key));
      const readsBefore = ledgerReads;
      const freshnessReadsBefore = freshnessReads;
      const turnsBefore = turns;
      const passes = ledger.passes();

      // New orders today and on earlier days (one of them late), a producer's retry, a cancellation,
      // a shipment of an earlier order and a stock count: flows, levels and sketches each move.
      const ordersToday = tile(await live.current(view()), 'orders').value ?? 0;
      const posted: Order[] = [
        { id: 'BV-HOLD-1', at: '2026-03-10T15:10:00Z', channel: 'web', region: 'west', lines: [{ sku: 'TEE', qty: 2, unit_price: 20 }] },
        { id: 'BV-HOLD-2', at: '2026-03-09T22:00:00Z', channel: 'amazon', region: 'west', lines: [{ sku: 'MUG', qty: 1, unit_price: 7.25 }] },
        { id: 'BV-HOLD-3', at: '2026-02-20T10:00:00Z', channel: 'web', region: 'east', lines: [{ sku: 'TEE', qty: 1, unit_price: 20 }] },
      ];
      for (const [i, o] of posted.entries()) {
        await ingest.submit([event(`bv-hold-${i}`, o)], 'test');
        await ingest.flush();
      }
      await ingest.submit([event('bv-hold-0', posted[0])], 'test');
      await ingest.submit(
        [
          { id: 'bv-hold-cancel', type: 'order.cancelled', occurred_at: '2026-03-10T15:20:00Z', source: 'test', data: { order_id: 'BV-HOLD-1', reason: 'changed mind', initiated_by: 'customer' } },
          { id: 'bv-hold-ship', type: 'order.shipped', occurred_at: '2026-03-10T15:15:00Z', source: 'test', data: { order_id: 'BV-1', shipment_id: 'SH-HOLD', warehouse: 'WH-HOLD', carrier: 'ups', lines: [{ sku: 'TEE', qty: 2 }], shipping_cost: 4.5 } },
        ],
        'test',
      );
      await ingest.submit(
        [{ id: 'bv-hold-count', type: 'stock.snapshot', occurred_at: '2026-03-10T14:30:00Z', source: 'test', data: { warehouse: 'WH-HOLD', sku: 'MUG', on_hand: 7, reserved: 2 } }],
        'test',
      );
      await ingest.flush();
      expect(ledger.passes()).toBeGreaterThan(passes);

      // Every watched view was pushed after the last pass without reading the ledger
      await expect.poll(() => pushes.filter((p) => tile(p, 'orders').value !== null).length, { timeout: 5_000 }).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200));
      expect(ledgerReads).toBe(readsBefore);
      // nor the freshness line: each pass's announcement moves it on
      expect(freshnessReads).toBe(freshnessReadsBefore);
      // nor taking a turn on chDB, which would hold it while the rounds compute
      expect(turns).toBe(turnsBefore);
      expect(tile(await live.current(view()), 'orders').value).toBe(ordersToday + 1);

      // … and each shows what a board that reads the ledger afresh shows.
      for (const key of keys) {
        const held = await live.current(parseView(key));
        const at = new Date(held.computedAt);
        const fresh = await computeBoardView({ analytics, store: pg.store }, parseView(key), at, await targetsInForceMap(pg.store.db));
        expect(held.tiles.map(({ key, value, previous, series, parts }) => ({ key, value, previous, series, parts }))).toEqual(
          fresh.tiles.map(({ key, value, previous, series, parts }) => ({ key, value, previous, series, parts })),
        );
        expect(held.freshness).toEqual(fresh.freshness);
      }
      expect(ledgerReads).toBe(readsBefore);
      for (const stop of stops) stop();
    } finally {
      await live.close();
    }
  });
});
