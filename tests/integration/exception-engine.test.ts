import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalytics, type Analytics, type QueryPriority } from '@/analytics/clickhouse';
import { startExceptionEngine, type ExceptionEngine } from '@/analytics/exceptions/exception-engine';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService, type IngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import type { ExceptionsDelta, LiveBus } from '@/lib/bus/live-bus';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';
import { migrateExceptionWorkflow } from '@/lib/exceptions/workflow-schema';

// The whole path on real engines: ingest stores events and announces the flush, the engine runs
// the rules on chDB and keeps the workflow store (PGlite here) in step, and publishes deltas.
let dir: string;
let analytics: Analytics;
let store: TransactionalStore;
let bus: LiveBus;
let ingest: IngestService;
let engine: ExceptionEngine;
let clock = Date.parse('2026-05-20T12:00:00Z');
const deltas: ExceptionsDelta[] = [];
let seq = 0;
/** The lane of each statement the engine ran, in order: a sweep's must never hold up a write. */
const lanes: { name: string; lane: QueryPriority }[] = [];
const lanesNoted = (a: Analytics): Analytics => ({
  ...a,
  query: (q) => {
    lanes.push({ name: q.name, lane: q.priority ?? 'routine' });
    return a.query(q);
  },
  command: (q) => {
    lanes.push({ name: q.name, lane: q.priority ?? 'routine' });
    return a.command(q);
  },
  inOneTurn: (work, lane) => a.inOneTurn((turn) => work(lanesNoted(turn)), lane),
});

const iso = (hoursBeforeNow: number) => new Date(clock - hoursBeforeNow * 3_600_000).toISOString();
const event = (type: string, hoursAgo: number, data: Record<string, unknown>) => ({
  id: `eng-${++seq}`,
  type,
  occurred_at: iso(hoursAgo),
  source: 'test',
  data,
});
const created = (order: string, hoursAgo: number, promisedInHours: number) =>
  event('order.created', hoursAgo, {
    order_id: order,
    channel: 'marketplace_a',
    lines: [{ sku: 'SKU-1', qty: 1, unit_price: 80 }],
    promised_ship_by: iso(-promisedInHours),
  });

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rows(dedupeKey: string) {
  const { rows } = await sql<{ id: string; status: string; resolution: string | null }>`
    select id, status, resolution from exception_items where dedupe_key = ${dedupeKey} order by opened_at`.execute(
    store.db,
  );
  return rows;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'exception-engine-'));
  analytics = await openAnalytics({ dataDir: dir, maxMemoryBytes: 512 * 1024 * 1024 });
  await migrateAnalytics(analytics);
  store = await openTransactionalStore({ dataDir: dir });
  await migrateExceptionWorkflow(store.db);
  bus = createInProcessBus();
  await bus.subscribe('exceptions', (d) => deltas.push(d));
  ingest = createIngestService({ analytics, bus, maxBatchDelayMs: 20 });
  engine = await startExceptionEngine({ analytics: lanesNoted(analytics), db: store.db, bus, tickMs: 3_600_000, now: () => new Date(clock) });
});
afterAll(async () => {
  await engine?.close();
  await ingest?.close();
  await bus?.close();
  await store?.close();
  await analytics?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('exception engine', () => {
  it('opens an item on the flush that raises it, never twice, and resolves it on the flush that clears it', async () => {
    await ingest.submit(
      [created('E-1', 2, 24), event('order.held', 1, { order_id: 'E-1', reason: 'payment' })],
      'test',
    );
    const opened = await until('the hold to open', () =>
      deltas.flatMap((d) => d.upserted).find((i) => i.dedupeKey === 'hold:E-1'),
    );
    expect(opened).toMatchObject({
      queue: 'order_holds',
      status: 'open',
      valueAtRisk: 80,
      channel: 'marketplace_a',
      severity: 'high',
    });
    expect(deltas.at(-1)?.counts.order_holds).toBe(1);

    // Many ticks and unrelated flushes later, still one item for the cause.
    for (let i = 0; i < 4; i++) {
      await ingest.submit([created(`E-other-${i}`, 1, 24)], 'test');
      await engine.sweep();
    }
    expect(await rows('hold:E-1')).toEqual([{ id: opened.id, status: 'open', resolution: null }]);
    // Flushes and sweeps run the rules in the background lane: a posted event's write goes first.
    expect(lanes.length).toBeGreaterThan(0);
    expect(lanes.filter((l) => l.lane !== 'background')).toEqual([]);

    await ingest.submit([event('order.released', 0.5, { order_id: 'E-1', by: 'ops' })], 'test');
    await until('the hold to resolve', () =>
      deltas.some((d) => d.resolvedIds.includes(opened.id)) ? true : undefined,
    );
    expect(await rows('hold:E-1')).toEqual([{ id: opened.id, status: 'resolved', resolution: 'auto' }]);
    expect(deltas.at(-1)?.counts.order_holds).toBe(0);
    await engine.sweep();
    expect(await rows('hold:E-1')).toHaveLength(1);
  });

  it('re-checks an order a person acted on when asked, without waiting for a flush it hears', async () => {
    await ingest.submit([created('E-ACT', 2, 24), event('order.held', 1, { order_id: 'E-ACT', reason: 'fraud_review' })], 'test');
    const opened = await until('the hold to open', () => deltas.flatMap((d) => d.upserted).find((i) => i.dedupeKey === 'hold:E-ACT'));
    // The release is stored by an ingest whose flushes the engine does not hear: only the
    // recheck, as the action service publishes it, can resolve the item.
    const quiet = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 20 });
    await quiet.submit([event('order.released', 0.5, { order_id: 'E-ACT', by: 'ops' })], 'test');
    await quiet.close();
    expect(await rows('hold:E-ACT')).toEqual([{ id: opened.id, status: 'open', resolution: null }]);
    const before = lanes.length;
    await bus.publish('recheck', { at: new Date(clock).toISOString(), exceptionId: opened.id, entity: { type: 'order', id: 'E-ACT' } });
    await until('the recheck to resolve the hold', () => (deltas.some((d) => d.resolvedIds.includes(opened.id)) ? true : undefined));
    // The item's own rule runs first and urgently (a person is watching it), the order's others after, in the background.
    expect(lanes[before]?.lane).toBe('urgent');
    expect(new Set(lanes.slice(before).map((l) => l.lane))).toEqual(new Set(['urgent', 'background']));
    expect(await rows('hold:E-ACT')).toEqual([{ id: opened.id, status: 'resolved', resolution: 'auto' }]);
  });

  it('judges nothing while history is imported, then once what holds when it is in', async () => {
    const shipped = (order: string, hoursAgo: number) =>
      event('order.shipped', hoursAgo, { order_id: order, shipment_id: `SH-${order}`, warehouse: 'east', carrier: 'ups', lines: [{ sku: 'SKU-1', qty: 1 }] });
    const historyIn = engine.holdDuringHistory();
    // Two days ago, day by day: H1 shipped on time, H2 was never shipped, H3 went on hold and stays there.
    await ingest.submit([created('E-H1', 50, -46), created('E-H2', 49, -47), created('E-H3', 48, 24)], 'test');
    await engine.sweep(); // as a tick would: against today's clock H1 looks late, but this is history
    await ingest.submit([shipped('E-H1', 47), event('order.held', 30, { order_id: 'E-H3', reason: 'address' })], 'test');
    await engine.sweep();
    expect([...(await rows('ship-late:E-H1')), ...(await rows('ship-late:E-H2')), ...(await rows('hold:E-H3'))]).toEqual([]);

    await historyIn();
    expect(await rows('ship-late:E-H1')).toEqual([]);
    expect(await rows('ship-late:E-H2')).toEqual([expect.objectContaining({ status: 'open' })]);
    expect(await rows('hold:E-H3')).toEqual([expect.objectContaining({ status: 'open' })]);
  });

  it('raises time-based conditions on the schedule as time passes, and clears them when the order ships', async () => {
    await ingest.submit([created('E-LATE', 1, 2)], 'test');
    await engine.sweep();
    expect(await rows('ship-late:E-LATE')).toEqual([]);
    clock += 3 * 3_600_000;
    await engine.sweep();
    expect(await rows('ship-late:E-LATE')).toEqual([expect.objectContaining({ status: 'open' })]);
    await ingest.submit(
      [
        event('order.shipped', 0.1, {
          order_id: 'E-LATE',
          shipment_id: 'SH-L',
          warehouse: 'east',
          carrier: 'ups',
          lines: [{ sku: 'SKU-1', qty: 1 }],
        }),
      ],
      'test',
    );
    await until('the late order to resolve', async () =>
      (await rows('ship-late:E-LATE'))[0]?.status === 'resolved' ? true : undefined,
    );
  });
});
