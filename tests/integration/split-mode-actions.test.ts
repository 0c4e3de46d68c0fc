import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as actionsRoute from '@/app/api/actions/route';
import { createRedisBus } from '@/lib/bus/redis-bus';
import { liveBusSlot, type LiveBus } from '@/lib/bus/live-bus';
import { CORE_CALL_PATH } from '@/lib/core/core-calls';
import { transactionalCoreSlot } from '@/lib/core/core-slot';
import { createRemoteCore } from '@/lib/core/remote-core';
import { startTower, type RunningTower } from '../e2e/support/tower-server';
import { openPgSchemaStore } from '../support/pg-schema';
import { startRouteHarness, type RouteHarness } from '../support/route-harness';

// Split mode end to end: a real `TOWER_ROLE=ingest` process (server.ts, chDB in its own data
// directory, the sandbox core, PostgreSQL and Redis) and, in this process, the web role's action
// route with the core forwarded to the ingest process over HTTP. Both roles share the store, as
// split mode does; only the ingest process opens chDB.
const SECRET = `split-mode-secret-${randomUUID()}`;
/** A Redis prefix of its own: other tests and deployments on this Redis do not hear its bus. */
const PREFIX = `split-mode-${randomUUID()}`;
let pgStore: Awaited<ReturnType<typeof openPgSchemaStore>>;
let ingest: RunningTower;
let h: RouteHarness;
let bus: LiveBus;

const db = () => pgStore.store.db;
const body = z.record(z.string(), z.unknown());

async function act(action: string, payload: object, idempotencyKey: string) {
  const res = await actionsRoute.POST(
    h.request('POST', '/api/actions', 'ops_lead', { json: { action, payload, idempotencyKey } }),
  );
  return { status: res.status, body: body.parse(await res.json()) };
}

async function auditRows(key: string) {
  const { rows } = await sql<{ outcome: string; before: unknown; after: unknown; answer: unknown }>`
    select outcome, before, after, answer from action_audit where idempotency_key = ${key} order by id`.execute(db());
  return rows;
}

beforeAll(async () => {
  pgStore = await openPgSchemaStore('split_mode');
  ingest = await startTower({
    env: {
      TOWER_ROLE: 'ingest',
      DATABASE_URL: pgStore.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      TOWER_REDIS_PREFIX: PREFIX,
      TOWER_INTERNAL_SECRET: SECRET,
      SANDBOX_RATE: '6',
      SANDBOX_BACKFILL_DAYS: '0',
    },
    readyWhen: /\[sandbox\] streaming/,
    readyTimeoutMs: 180_000,
  });
  h = await startRouteHarness(pgStore.store);
  bus = await createRedisBus('redis://127.0.0.1:6379', PREFIX);
  liveBusSlot.set(bus);
  // What server.ts does for TOWER_ROLE=web with TOWER_CORE_URL and TOWER_INTERNAL_SECRET.
  transactionalCoreSlot.set(createRemoteCore({ url: ingest.baseUrl, secret: SECRET }));
});
afterAll(async () => {
  await bus?.close();
  await ingest?.stop();
  await pgStore?.drop();
});

describe('actions in split mode', () => {
  it('runs an action in the ingest process, once per idempotency key, with one audit row', async () => {
    const { rows } = await sql<{ warehouse: string; sku: string; on_hand: number }>`
      select warehouse, sku, on_hand from sandbox_stock order by warehouse, sku limit 1`.execute(db());
    const stock = rows[0];
    expect(stock, 'the sandbox core has stock').toBeDefined();
    const countedQty = stock.on_hand + 7;
    const key = randomUUID();
    const payload = { warehouse: stock.warehouse, sku: stock.sku, countedQty };

    const first = await act('post_stock_count', payload, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.status).toBe('done');
    const after = await sql<{
      on_hand: number;
    }>`select on_hand from sandbox_stock where warehouse = ${stock.warehouse} and sku = ${stock.sku}`.execute(db());
    expect(after.rows[0]?.on_hand, "the ingest process's core changed its state").toBe(countedQty);

    // A retry answers the same outcome without a second effect or a second audit row.
    const retry = await act('post_stock_count', payload, key);
    expect(retry).toEqual(first);
    const conflict = await act('post_stock_count', { ...payload, countedQty: countedQty + 1 }, key);
    expect(conflict.status).toBe(409);
    const audit = await auditRows(key);
    expect(audit.map((r) => r.outcome)).toEqual(['done']);
    expect(audit[0].answer).toMatchObject({ eventIds: expect.arrayContaining([expect.any(String)]) });
    expect(audit[0].before).not.toEqual(audit[0].after);
  });

  it("answers the core's refusal as in embedded mode, and audits it", async () => {
    const key = randomUUID();
    const refused = await act('release_hold', { orderId: `no-such-order-${key}` }, key);
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('not_found');
    expect((await auditRows(key)).map((r) => r.outcome)).toEqual(['refused']);
  });

  it('reads entities from the core through the ingest process', async () => {
    const core = transactionalCoreSlot.get();
    expect(await core.describeOrder(`no-such-order-${randomUUID()}`)).toBeNull();
  });

  it('refuses a forwarded call without the shared secret', async () => {
    const res = await fetch(`${ingest.baseUrl}${CORE_CALL_PATH}`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-secret', 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'describeOrder', args: ['x'] }),
    });
    expect(res.status).toBe(401);
    const wrong = createRemoteCore({ url: ingest.baseUrl, secret: `wrong-${SECRET}` });
    await expect(wrong.describeOrder('x')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
