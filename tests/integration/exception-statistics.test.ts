import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExceptionEngine, type ExceptionEngine } from '@/analytics/exceptions/exception-engine';
import type { ExceptionRule } from '@/analytics/exceptions/exception-rule';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import type { LiveBus } from '@/lib/bus/live-bus';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';
import type { RaisedCondition } from '@/lib/exceptions/raised-condition';
import { migrateExceptionWorkflow } from '@/lib/exceptions/workflow-schema';
import { noAnalytics } from '../support/no-analytics';

// Embedded PGlite has no autovacuum: the engine keeps the items table's statistics itself. A
// backfill never lets the engine idle, and statistics refreshed only when idle went stale while
// the table grew, until every history insert scanned it (minutes of a first start). Here a rule
// whose every run announces another flush keeps the engine busy throughout.
const holds: RaisedCondition[] = Array.from({ length: 1_200 }, (_, i) => ({
  queue: 'order_holds',
  rule: 'order_on_hold',
  dedupeKey: `hold:SO-${i}`,
  severity: 'medium',
  summary: `SO-${i} on payment hold`,
  valueAtRisk: 100,
  currency: 'USD',
  entities: [{ kind: 'order', id: `SO-${i}` }],
  warehouse: 'WH-EAST',
  channel: 'web',
  beganAt: '2026-05-20T12:00:00.000Z',
}));
let runs = 0;
let keepBusy = true;
let bus: LiveBus;
let store: TransactionalStore;
let engine: ExceptionEngine;

const busyRule: ExceptionRule = {
  name: 'order_on_hold',
  triggers: ['order.held'],
  byOrder: false,
  timed: false,
  evaluate: async () => {
    // A real rule waits on ClickHouse; without a turn of the event loop here, PGlite's answers
    // (settled at once) would keep the engine in microtasks and starve every timer.
    await new Promise((resolve) => setTimeout(resolve, 5));
    runs++;
    if (keepBusy) {
      void bus.publish('flush', { flushedAt: new Date().toISOString(), events: 1, deadLetters: 0, lastOccurredAt: null, types: ['order.held'] });
    }
    return holds;
  },
};

beforeAll(async () => {
  store = await openTransactionalStore({ dataDir: await mkdtemp(path.join(os.tmpdir(), 'exception-statistics-')) });
  await migrateExceptionWorkflow(store.db);
  bus = createInProcessBus();
  // No gap between runs: the engine never idles, which is the point.
  engine = await startExceptionEngine({ analytics: noAnalytics, db: store.db, bus, tickMs: 3_600_000, rules: [busyRule], ruleGapMs: 0 });
});
afterAll(async () => {
  keepBusy = false;
  await engine?.close();
  await bus?.close();
  await store?.close();
});

describe('exception store statistics', () => {
  it('are refreshed once enough items changed, even while the engine never idles', async () => {
    await bus.publish('flush', { flushedAt: new Date().toISOString(), events: 1, deadLetters: 0, lastOccurredAt: null, types: ['order.held'] });
    await expect.poll(() => runs, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    const { rows } = await sql<{ reltuples: number }>`select reltuples from pg_class where relname = 'exception_items'`.execute(store.db);
    expect(keepBusy).toBe(true);
    // -1 means never analyzed; the planner now knows the 1,200 items the first run opened.
    expect(Number(rows[0]?.reltuples)).toBe(holds.length);
  });
});
