import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { ledgerFamilies } from '@/analytics/kpis/families/ledger-families';
import { holdLedgerReads } from '@/analytics/kpis/ledger/held-ledger-reads';
import { createKpiLedger } from '@/analytics/kpis/ledger/kpi-ledger';
import { readLedgerSlices, type LedgerSlice } from '@/analytics/kpis/ledger/read-ledger';
import { startLedgerWorker } from '@/analytics/kpis/ledger/ledger-worker';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import type { LedgerApplied, LedgerLag } from '@/lib/bus/live-bus';

// The ledger worker on chDB: the write acknowledges before the ledger moves, many batches are
// applied together, a failed pass is retried, and events stored while no worker ran (a crash
// between the events insert and the ledger) are brought in by the next worker's start.

let analytics: Analytics;
const sumRow = z.object({ orders: z.coerce.number(), sales: z.coerce.number() });

/** Order LW-n; a later `minute` with another qty is a correction of it. */
const order = (n: number, qty = 1, minute = 15) => ({
  id: `lw-${n}-${qty}`,
  type: 'order.created',
  occurred_at: `2026-03-10T09:${minute}:00Z`,
  source: 'test',
  data: { order_id: `LW-${n}`, channel: 'web', region: 'west', lines: [{ sku: 'LW-SKU', qty, unit_price: 10 }] },
});

/** What the ledger and, separately, the contributions hold for order counts and gross sales. */
async function sums(table: 'kpi_ledger_hourly' | 'kpi_ledger_contributions') {
  const [row] = await analytics.query({
    name: 'test.ledger-sums',
    sql: `SELECT sumIf(value, metric = 'orders.created') AS orders, sumIf(value, metric = 'orders.gross_sales') AS sales FROM ${table}`,
    schema: sumRow,
  });
  return row;
}

/** Every ledger table's sum per metric (and per family in the contributions), as text. */
async function ledgerTotals() {
  const tables = [
    'kpi_ledger_hourly',
    'kpi_ledger_daily',
    'kpi_ledger_monthly',
    'kpi_ledger_daily_slices',
    'kpi_ledger_hourly_slices',
    'kpi_ledger_monthly_slices',
  ];
  const rows = await analytics.query({
    name: 'test.ledger-totals',
    sql: `SELECT 'contributions' AS t, concat(family, '/', metric) AS key, toString(sum(value)) AS total FROM kpi_ledger_contributions GROUP BY t, key
${tables.map((t) => `UNION ALL SELECT '${t}' AS t, metric AS key, toString(sum(value)) AS total FROM ${t} GROUP BY t, key`).join('\n')}`,
    schema: z.object({ t: z.string(), key: z.string(), total: z.string() }),
  });
  return Object.fromEntries(rows.filter((r) => Number(r.total) !== 0).map((r) => [`${r.t} ${r.key}`, r.total]));
}

/** Stored events as the writer hands them to a ledger worker, in the order of `ids`. */
async function storedRows(ids: string[]) {
  const rows = await analytics.query({
    name: 'test.stored',
    sql: `SELECT id, type, order_id, toString(occurred_at) AS occurred_at, toString(received_at) AS received_at, data
FROM events WHERE id IN {ids:Array(String)}`,
    params: { ids },
    schema: z.object({
      id: z.string(),
      type: z.string(),
      order_id: z.string(),
      occurred_at: z.string(),
      received_at: z.string(),
      data: z.string(),
    }),
  });
  return ids.map((id) => {
    const found = rows.find((r) => r.id === id);
    if (!found) throw new Error(`${id} is not stored`);
    const { id: _id, ...row } = found;
    return { ...row, data: JSON.parse(row.data) as object };
  });
}

beforeAll(async () => {
  analytics = await openAnalytics({
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'ledger-worker-')),
    maxMemoryBytes: 1 << 30,
  });
  await migrateAnalytics(analytics);
});

afterAll(async () => {
  await analytics.close();
});

describe('the KPI ledger worker', () => {
  it('applies stored batches after the write, announces every pass, and a correction moves by its difference', async () => {
    const bus = createInProcessBus();
    const passes: LedgerApplied[] = [];
    await bus.subscribe('ledger', (m) => passes.push(m));
    const ingest = createIngestService({ analytics, bus, maxBatchDelayMs: 5 });
    await Promise.all(Array.from({ length: 20 }, (_, n) => ingest.submit([order(n)], 'test')));
    await ingest.submit([order(3, 4, 20)], 'test'); // order LW-3 corrected: 4 units instead of 1
    await ingest.flush();
    expect(await sums('kpi_ledger_hourly')).toEqual({ orders: 20, sales: 19 * 10 + 40 });
    expect(await sums('kpi_ledger_contributions')).toEqual({ orders: 20, sales: 230 });
    expect(passes.reduce((n, p) => n + p.events, 0)).toBe(21);
    await ingest.close();
  });

  it('retries a pass that failed until it lands', async () => {
    let failures = 0;
    const flakyOn = (base: Analytics): Analytics => ({
      ...base,
      command: async (q) => {
        if (q.name.endsWith('.apply') && failures < 2) {
          failures++;
          throw new Error('engine busy');
        }
        return base.command(q);
      },
      inOneTurn: (work, lane) => base.inOneTurn((turn) => work(flakyOn(turn)), lane),
    });
    const flaky = flakyOn(analytics);
    const bus = createInProcessBus();
    const worker = startLedgerWorker({
      analytics: flaky,
      ledger: createKpiLedger(flaky, ledgerFamilies),
      bus,
      retryMs: 10,
    });
    const ingest = createIngestService({ analytics, bus, maxBatchDelayMs: 5, ledger: null });
    await ingest.submit([order(100)], 'test');
    worker.stored(await storedRows(['lw-100-1']));
    await worker.idle();
    expect(failures).toBe(2);
    expect(await sums('kpi_ledger_hourly')).toEqual({ orders: 21, sales: 240 });
    await worker.close();
    await ingest.close();
  });

  it('a worker that starts after events were stored without one brings them into the ledger', async () => {
    // Events stored while no worker ran: as after a crash between the events insert and the ledger.
    const bus = createInProcessBus();
    const unkept = createIngestService({ analytics, bus, maxBatchDelayMs: 5, ledger: null });
    await unkept.submit([order(200), order(201, 2)], 'test');
    await unkept.close();
    expect((await sums('kpi_ledger_hourly')).orders).toBe(21);

    const worker = startLedgerWorker({ analytics, ledger: createKpiLedger(analytics, ledgerFamilies), bus });
    await worker.idle();
    expect(await sums('kpi_ledger_hourly')).toEqual({ orders: 23, sales: 240 + 10 + 20 });
    // Starting again re-checks the same events and adds nothing.
    await worker.close();
    const again = startLedgerWorker({ analytics, ledger: createKpiLedger(analytics, ledgerFamilies), bus });
    await again.idle();
    expect(await sums('kpi_ledger_hourly')).toEqual({ orders: 23, sales: 270 });
    await again.close();
  });

  it('tells the boards a rebuild is under way, and that the figures are current once it ends', async () => {
    // A family whose SQL changed since it was built, as after an upgrade.
    await analytics.command({
      name: 'test.stale-build',
      sql: "INSERT INTO kpi_ledger_builds (family, checksum, built_at) VALUES ('order-lines', 'older-sql', now64(3))",
    });
    const bus = createInProcessBus();
    const told: LedgerLag['behind'][] = [];
    await bus.subscribe('ledger-lag', (m) => told.push(m.behind));
    const startedAt = Date.now();
    const worker = startLedgerWorker({ analytics, ledger: createKpiLedger(analytics, ledgerFamilies), bus });
    await worker.idle();
    expect(told[0]).toMatchObject({ reason: 'rebuilding' });
    expect(Date.parse(told[0]!.since)).toBeGreaterThanOrEqual(startedAt - 1);
    expect(told.at(-1)).toBeNull();
    expect(await sums('kpi_ledger_hourly')).toEqual({ orders: 23, sales: 270 });
    await worker.close();
  });

  it('a rebuild fills the contributions too, so the next diff starts from them', async () => {
    const ledger = createKpiLedger(analytics, ledgerFamilies);
    await ledger.rebuild();
    expect(await sums('kpi_ledger_contributions')).toEqual({ orders: 23, sales: 270 });
    const ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 5 });
    await ingest.submit([order(201, 3, 25)], 'test'); // LW-201 corrected again: 3 units
    await ingest.flush();
    expect(await sums('kpi_ledger_hourly')).toEqual({ orders: 23, sales: 280 });
    await ingest.close();
  });

  it("a rebuild of one family replaces its rows, leaves every other family's as they were and sums them again", async () => {
    const ledger = createKpiLedger(analytics, ledgerFamilies);
    const before = await ledgerTotals();
    expect(Object.keys(before).length).toBeGreaterThan(10);
    // A stray contribution of the family, as a lost pass would leave (its views add it
    // everywhere), one of a family the code no longer has, and a daily sum that drifted from them.
    await analytics.command({
      name: 'test.stray-contributions',
      sql: `INSERT INTO kpi_ledger_contributions (family, entity_key, metric, hour, value)
VALUES ('order-lines', 'LW-999', 'orders.created', '2026-03-10 09:00:00', 7), ('retired-family', 'LW-998', 'orders.created', '2026-03-10 09:00:00', 5)`,
    });
    await analytics.command({
      name: 'test.drifted-sum',
      sql: "INSERT INTO kpi_ledger_daily (metric, day, value) VALUES ('orders.gross_sales', '2026-03-10', 3)",
    });
    expect((await sums('kpi_ledger_hourly')).orders).toBe(23 + 7 + 5);
    await ledger.rebuild('order-lines');
    expect(await ledgerTotals()).toEqual(before);
    // Again: the same sums written a second time are not taken for a retried insert and dropped.
    await ledger.rebuild('order-lines');
    expect(await ledgerTotals()).toEqual(before);
  });

  it('saves its progress at most every few seconds while busy, and on close', async () => {
    let saves = 0;
    const counted: Analytics = {
      ...analytics,
      engine: analytics.engine,
      insert: (q) => {
        if (q.table === 'kpi_ledger_progress') saves++;
        return analytics.insert(q);
      },
    };
    const bus = createInProcessBus();
    let passes = 0;
    await bus.subscribe('ledger', () => void passes++);
    const ingest = createIngestService({ analytics: counted, bus, maxBatchDelayMs: 1 });
    const started = Date.now();
    for (let n = 300; n < 310; n++) {
      await ingest.submit([order(n)], 'test');
      await ingest.flush();
    }
    expect(passes).toBeGreaterThanOrEqual(10);
    // One save as the first pass lands, then at most one per 5 s.
    expect(saves).toBeLessThanOrEqual(1 + Math.floor((Date.now() - started) / 5_000));
    await ingest.close();
    // On close, one more that covers every event received (of which the last was just now).
    expect(saves).toBeLessThanOrEqual(2 + Math.floor((Date.now() - started) / 5_000));
    const [row] = await analytics.query({
      name: 'test.progress',
      sql: `SELECT toString(max(p.applied_through)) AS through, (SELECT toString(max(received_at)) FROM events) AS newest
FROM kpi_ledger_progress AS p`,
      schema: z.object({ through: z.string(), newest: z.string() }),
    });
    expect(row.through >= row.newest).toBe(true);
  });

  it('takes into a pass the events stored while it waited for its turn', async () => {
    const bus = createInProcessBus();
    const passes: LedgerApplied[] = [];
    await bus.subscribe('ledger', (m) => passes.push(m));
    const worker = startLedgerWorker({ analytics, ledger: createKpiLedger(analytics, ledgerFamilies), bus });
    await worker.idle(); // its re-check of what earlier tests stored
    passes.length = 0;
    const ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 5, ledger: null });
    await ingest.submit([order(900), order(901)], 'test');
    const [first, second] = await storedRows(['lw-900-1', 'lw-901-1']);
    // The engine is busy when the first event is handed over, and the second comes while its pass
    // waits for a turn: the pass takes both.
    const busy = analytics.query({
      name: 'test.busy',
      sql: 'SELECT sleep(0.5) AS slept',
      schema: z.object({ slept: z.number() }),
      priority: 'live',
    });
    await new Promise((r) => setTimeout(r, 50));
    worker.stored([first]);
    await new Promise((r) => setTimeout(r, 50));
    worker.stored([second]);
    await busy;
    await worker.idle();
    expect(passes.map((p) => p.events)).toEqual([2]);
    await worker.close();
    await ingest.close();
  });

  it('on chDB announces a small pass as soon as the boards hold its difference, while it is stored', async () => {
    const steps: string[] = [];
    const recordedOn = (base: Analytics): Analytics => ({
      ...base,
      insert: async (q) => {
        if (q.name !== 'kpi-ledger.store-difference') return base.insert(q);
        steps.push('store begins');
        await base.insert(q);
        steps.push('store ends');
      },
      inOneTurn: (work, lane) => base.inOneTurn((turn) => work(recordedOn(turn)), lane),
    });
    const recorded = recordedOn(analytics);
    const ledger = createKpiLedger(recorded, ledgerFamilies);
    const held = holdLedgerReads(ledger); // a live board's: it takes each small pass's difference
    const bus = createInProcessBus();
    await bus.subscribe('ledger', () => steps.push('announced'));
    const worker = startLedgerWorker({ analytics: recorded, ledger, bus });
    await worker.idle();
    steps.length = 0;
    const ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 5, ledger: null });
    await ingest.submit([order(950)], 'test');
    worker.stored(await storedRows(['lw-950-1']));
    await worker.idle();
    expect(steps).toEqual(['announced', 'store begins', 'store ends']);
    held.close();
    await worker.close();
    await ingest.close();
  });

  it('a store that fails after its pass was announced leaves no held sum counting it twice', async () => {
    let armed = false;
    let failures = 0;
    const flakyOn = (base: Analytics): Analytics => ({
      ...base,
      insert: async (q) => {
        if (q.name === 'kpi-ledger.store-difference' && armed && failures < 1) {
          failures++;
          throw new Error('engine busy');
        }
        return base.insert(q);
      },
      inOneTurn: (work, lane) => base.inOneTurn((turn) => work(flakyOn(turn)), lane),
    });
    const flaky = flakyOn(analytics);
    const ledger = createKpiLedger(flaky, ledgerFamilies);
    const held = holdLedgerReads(ledger);
    const bus = createInProcessBus();
    let announced = 0;
    await bus.subscribe('ledger', () => announced++);
    const worker = startLedgerWorker({ analytics: flaky, ledger, bus, retryMs: 10 });
    await worker.idle();
    const slices: LedgerSlice[] = [
      {
        metrics: ['orders.created', 'orders.gross_sales'],
        period: { from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-03-11T00:00:00Z') },
        groupBy: 'none',
      },
    ];
    const total = async (read: Promise<{ metric: string; value: number }[][]>) =>
      Object.fromEntries((await read)[0].map((s) => [s.metric, s.value]));
    const before = await total(held.read(analytics, { filters: {}, slices }));

    const ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 5, ledger: null });
    await ingest.submit([order(960, 3)], 'test');
    announced = 0;
    armed = true;
    worker.stored(await storedRows(['lw-960-3']));
    await worker.idle();
    expect(failures).toBe(1);
    expect(announced).toBe(2); // the failed store's pass, then its retry's

    const want = {
      'orders.created': before['orders.created'] + 1,
      'orders.gross_sales': before['orders.gross_sales'] + 30,
    };
    expect(await total(held.read(analytics, { filters: {}, slices }))).toEqual(want);
    expect(await total(readLedgerSlices(analytics, { filters: {}, slices }))).toEqual(want);
    held.close();
    await worker.close();
    await ingest.close();
  });
});
