import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { connectorHealthLog } from '@/analytics/connectors/connector-health-log';
import { connectorErrors } from '@/analytics/exceptions/connector-errors';
import { migrateAnalytics } from '@/analytics/migrate';
import { watchedCall } from '@/lib/connectors/connector-health';
import { openSandboxCore, type SandboxEvent } from '@/lib/core/sandbox/sandbox-core';
import { openTransactionalStore } from '@/lib/db/transactional-store';
import { RULES } from '@/lib/exceptions/rule-catalogue';

const MINUTE = 60_000;
// Near the real time: connector_health keeps 30 days (a TTL), so older rows would not stay.
const NOW = Math.floor(Date.now() / MINUTE) * MINUTE - 3 * 60 * MINUTE;
const dirs: string[] = [];
let a: Analytics;

const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

async function raisedKeys(now: number, thresholds: Record<string, number> = {}): Promise<string[]> {
  const defaults = RULES.connector_errors.defaults;
  const settings = { ...defaults, thresholds: { ...defaults.thresholds, ...thresholds } };
  const raised = await connectorErrors.evaluate(a, { now: new Date(now), settings });
  return raised.map((c) => c.dedupeKey).sort();
}

beforeAll(async () => {
  a = await openAnalytics({ dataDir: await tempDir('connector-errors-'), maxMemoryBytes: 512 * 1024 * 1024 });
  await migrateAnalytics(a);
});
afterAll(async () => {
  await a?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('connector errors', () => {
  it('raises one item per connector and operation while errors keep coming, and clears once it works again', async () => {
    let clock = NOW;
    const health = connectorHealthLog(a, () => new Date(clock));
    const fail = (operation: string) =>
      health.failed('core-x', operation, new Error('connect ECONNREFUSED 10.0.0.7:443'));

    await health.succeeded('core-x', 'release_hold');
    expect(await raisedKeys(clock)).toEqual([]);

    clock += MINUTE;
    await fail('release_hold');
    clock += MINUTE;
    await fail('release_hold');
    await fail('cancel_order');
    expect(await raisedKeys(clock)).toEqual([
      'connector-errors:core-x:cancel_order',
      'connector-errors:core-x:release_hold',
    ]);
    const all = await connectorErrors.evaluate(a, { now: new Date(clock), settings: RULES.connector_errors.defaults });
    const item = all.find((c) => c.dedupeKey === 'connector-errors:core-x:cancel_order');
    expect(item?.summary).toMatch(
      /^core-x cancel_order failing: 1 error and no success since; latest: connect ECONNREFUSED/,
    );
    expect(item?.entities).toEqual([{ kind: 'connector', id: 'core-x/cancel_order' }]);
    expect(await raisedKeys(clock, { minCount: 2 })).toEqual(['connector-errors:core-x:release_hold']);

    // A success after the last error clears that operation only.
    clock += MINUTE;
    await health.succeeded('core-x', 'release_hold');
    expect(await raisedKeys(clock)).toEqual(['connector-errors:core-x:cancel_order']);
    // Errors that stopped coming leave the window and clear too, success or not.
    expect(await raisedKeys(clock + 2 * 60 * MINUTE)).toEqual([]);
    // An error again after the recovery raises it again.
    clock += MINUTE;
    await fail('release_hold');
    expect(await raisedKeys(clock)).toContain('connector-errors:core-x:release_hold');
  });

  it('a backfill delivery the tower refuses is retried, noted as a connector error, and lands once', async () => {
    const store = await openTransactionalStore({ dataDir: await tempDir('connector-sandbox-') });
    const clock = NOW;
    const health = connectorHealthLog(a, () => new Date(clock));
    const delivered: SandboxEvent[] = [];
    const errors: unknown[] = [];
    let refusals = 3;
    const where = { connector: 'sandbox-test', operation: 'event delivery' };
    const core = await openSandboxCore({
      db: store.db,
      seed: 11,
      now: () => new Date(clock),
      retry: { firstMs: 1, maxMs: 4 },
      onError: (e) => errors.push(e),
      emit: (events) =>
        watchedCall(health, where, async () => {
          if (refusals-- > 0) throw new Error('ingest is busy; retry in 1 s');
          delivered.push(...events);
        }),
    });
    const done = await core.backfill(1, 1);
    await core.stop();
    await store.close();

    expect(errors).toHaveLength(3);
    expect(done.events).toBe(delivered.length);
    expect(delivered.length).toBeGreaterThan(1_000);
    expect(new Set(delivered.map((e) => e.id)).size).toBe(delivered.length);
    const rows = await a.query({
      name: 'test.health',
      sql: `SELECT ok, count() AS n FROM connector_health WHERE connector = 'sandbox-test' GROUP BY ok ORDER BY ok`,
      schema: z.object({ ok: z.number(), n: z.number() }),
    });
    // Three failures, then one success: later successes add nothing while it stays healthy.
    expect(rows).toEqual([
      { ok: 0, n: 3 },
      { ok: 1, n: 1 },
    ]);
  });
});
