import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExceptionEngine, type ExceptionEngine } from '@/analytics/exceptions/exception-engine';
import type { ExceptionRule, RuleContext } from '@/analytics/exceptions/exception-rule';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import type { LiveBus } from '@/lib/bus/live-bus';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';
import { migrateExceptionWorkflow } from '@/lib/exceptions/workflow-schema';
import { noAnalytics } from '../support/no-analytics';

// Under a steady stream of posts a rule runs at most once per gap, each run judging the orders
// of every flush since the last: no flushed order goes unjudged, and an explicit sweep does not
// wait for the gap.
const GAP_MS = 400;
const runs: { at: number; orderIds: readonly string[] | undefined }[] = [];

const holdRule: ExceptionRule = {
  name: 'order_on_hold',
  triggers: ['order.held'],
  byOrder: true,
  timed: false,
  evaluate: async (_a, ctx: RuleContext) => {
    runs.push({ at: Date.now(), orderIds: ctx.orderIds });
    await new Promise((resolve) => setTimeout(resolve, 5));
    return [];
  },
};

let bus: LiveBus;
let store: TransactionalStore;
let engine: ExceptionEngine;

const flush = (orderId: string) =>
  bus.publish('flush', {
    flushedAt: new Date().toISOString(),
    events: 1,
    deadLetters: 0,
    lastOccurredAt: null,
    types: ['order.held'],
    orderIds: [orderId],
  });

beforeAll(async () => {
  store = await openTransactionalStore({ dataDir: await mkdtemp(path.join(os.tmpdir(), 'exception-rule-gap-')) });
  await migrateExceptionWorkflow(store.db);
  bus = createInProcessBus();
  engine = await startExceptionEngine({
    analytics: noAnalytics,
    db: store.db,
    bus,
    tickMs: 3_600_000,
    rules: [holdRule],
    ruleGapMs: GAP_MS,
  });
});
afterAll(async () => {
  await engine?.close();
  await bus?.close();
  await store?.close();
});

describe('a rule under a stream of flushes', () => {
  it('runs at most once per gap and judges every flushed order', async () => {
    const flushed: string[] = [];
    const started = Date.now();
    for (let i = 0; i < 30; i++) {
      flushed.push(`SO-GAP-${i}`);
      await flush(`SO-GAP-${i}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const streamed = Date.now() - started;
    await expect
      .poll(() => new Set(runs.flatMap((r) => r.orderIds ?? [])).size, { timeout: 10_000 })
      .toBe(flushed.length);

    expect(runs.every((r) => r.orderIds !== undefined)).toBe(true);
    expect(new Set(runs.flatMap((r) => r.orderIds ?? []))).toEqual(new Set(flushed));
    // One run per flush would be 30; one per gap is what the stream's length allows, and one more.
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(streamed / GAP_MS) + 1);
    expect(runs.length).toBeLessThan(flushed.length / 2);
    // Timed when the rule is asked, after the engine has read its settings (a store read of its
    // own length): half the gap is the least two runs can stand apart.
    for (let i = 1; i < runs.length; i++) expect(runs[i].at - runs[i - 1].at).toBeGreaterThanOrEqual(GAP_MS / 2);
  });

  it('runs at once when swept, whatever the gap', async () => {
    await flush('SO-GAP-last');
    await expect.poll(() => runs.at(-1)?.orderIds?.includes('SO-GAP-last') ?? false, { timeout: 10_000 }).toBe(true);
    const before = runs.length;
    await engine.sweep();
    expect(runs.length).toBe(before + 1);
    expect(runs.at(-1)?.orderIds).toBeUndefined();
    expect((runs.at(-1)?.at ?? 0) - (runs.at(-2)?.at ?? 0)).toBeLessThan(GAP_MS);
  });
});
