import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openSandboxCore, SandboxHistoryExistsError, type SandboxEvent } from '@/lib/core/sandbox/sandbox-core';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const NOW = Date.parse('2026-05-20T12:00:00Z');
const HOUR = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A store of the given kind that no other test (or test run) shares. */
async function freshStore(kind: 'pglite' | 'postgres'): Promise<() => Promise<TransactionalStore>> {
  if (kind === 'pglite') {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-core-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    return () => openTransactionalStore({ dataDir });
  }
  const schema = `sandbox_test_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema ${schema} cascade`);
    await c.end();
  });
  const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return () => openTransactionalStore({ databaseUrl: url, dataDir: os.tmpdir() });
}

function recorder() {
  const events: SandboxEvent[] = [];
  let largest = 0;
  return {
    events,
    largest: () => largest,
    emit: async (batch: SandboxEvent[]) => {
      largest = Math.max(largest, batch.length);
      events.push(...batch);
    },
  };
}

describe.each(['pglite', 'postgres'] as const)('sandbox core on %s', (kind) => {
  it('backfills history, then the live stream carries on from it, across a restart', async () => {
    const open = await freshStore(kind);
    let store = await open();
    let clock = NOW;
    const out = recorder();
    let core = await openSandboxCore({ db: store.db, emit: out.emit, seed: 5, now: () => new Date(clock) });

    expect(await core.hasHistory()).toBe(false);
    const done = await core.backfill(2, 3, () => undefined);
    expect(done.events).toBe(out.events.length);
    expect(done.orders).toBeGreaterThan(3 * 60 * 48 * 0.7);
    expect(out.largest()).toBeLessThanOrEqual(25_000); // the sandbox's delivery size (sandbox-core.ts)
    expect(await core.hasHistory()).toBe(true);
    await expect(core.backfill(1, 3)).rejects.toBeInstanceOf(SandboxHistoryExistsError);

    const db = store.db;
    const stock = await sql<{
      bad: number;
    }>`select count(*)::int as bad from sandbox_stock where on_hand < 0 or reserved < 0 or reserved > on_hand`.execute(
      db,
    );
    expect(stock.rows[0].bad).toBe(0);
    const inFlight = await sql<{
      n: number;
    }>`select count(*)::int as n from sandbox_orders where status in ('allocated', 'picking', 'picked', 'shipped')`.execute(
      db,
    );
    expect(inFlight.rows[0].n).toBeGreaterThan(100);
    // Reserved stock is exactly what allocated-but-unshipped orders hold.
    const held = await sql<{ reserved: number; owed: number }>`select
        (select coalesce(sum(reserved), 0)::int from sandbox_stock) as reserved,
        (select coalesce(sum((l->>'qty')::int), 0)::int from sandbox_orders o, jsonb_array_elements(o.lines) l where o.status in ('allocated', 'picking')) +
        (select coalesce(sum((l->>'qty_picked')::int), 0)::int from sandbox_orders o, jsonb_array_elements(o.lines) l where o.status = 'picked') as owed`.execute(
      db,
    );
    expect(held.rows[0].reserved).toBe(held.rows[0].owed);

    const backfilled = out.events.length;
    clock += 3 * HOUR;
    await core.tick();
    const live = out.events.slice(backfilled);
    expect(live.length).toBeGreaterThan(100);
    expect(live.every((e) => Date.parse(e.occurred_at) > NOW && Date.parse(e.occurred_at) <= clock)).toBe(true);
    const shippedLive = new Set(
      live.filter((e) => e.type === 'order.shipped').map((e) => String((e.data as { order_id: string }).order_id)),
    );
    const createdInBackfill = new Set(
      out.events
        .slice(0, backfilled)
        .filter((e) => e.type === 'order.created')
        .map((e) => String((e.data as { order_id: string }).order_id)),
    );
    expect([...shippedLive].some((id) => createdInBackfill.has(id))).toBe(true);

    // A restart: the world comes back from the store and keeps going without reusing any id.
    await core.stop();
    await store.close();
    store = await open();
    core = await openSandboxCore({ db: store.db, emit: out.emit, seed: 999, now: () => new Date(clock) });
    expect(await core.hasHistory()).toBe(true);
    clock += 2 * HOUR;
    await core.tick();
    const ids = out.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const orderIds = out.events
      .filter((e) => e.type === 'order.created')
      .map((e) => String((e.data as { order_id: string }).order_id));
    expect(new Set(orderIds).size).toBe(orderIds.length);
    const afterRestart = out.events.slice(backfilled + live.length);
    expect(afterRestart.some((e) => e.type === 'order.delivered')).toBe(true);
    await core.stop();
    await store.close();
  });

  it('loses nothing when the tower refuses a batch: the next tick delivers it', async () => {
    const open = await freshStore(kind);
    const store = await open();
    let clock = NOW;
    const delivered: SandboxEvent[] = [];
    let refuse = true;
    const errors: unknown[] = [];
    const core = await openSandboxCore({
      db: store.db,
      seed: 9,
      now: () => new Date(clock),
      onError: (e) => errors.push(e),
      emit: async (batch) => {
        if (refuse) throw new Error('ingest is over capacity');
        delivered.push(...batch);
      },
    });
    await expect(core.tick()).rejects.toThrow('over capacity');
    clock += 30 * 60_000;
    await expect(core.tick()).rejects.toThrow('over capacity');
    expect(delivered).toEqual([]);
    refuse = false;
    clock += 30 * 60_000;
    await core.tick();
    const created = delivered.filter((e) => e.type === 'order.created');
    expect(delivered.filter((e) => e.type === 'stock.snapshot').length).toBe(900);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(delivered.map((e) => e.id)).size).toBe(delivered.length);
    const times = delivered.map((e) => Date.parse(e.occurred_at));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    const outbox = await sql<{ n: number }>`select count(*)::int as n from sandbox_outbox`.execute(store.db);
    expect(outbox.rows[0].n).toBe(0);
    await core.stop();
    await store.close();
  });

  it('streams live on a timer and stops cleanly', async () => {
    const open = await freshStore(kind);
    const store = await open();
    const out = recorder();
    const core = await openSandboxCore({ db: store.db, emit: out.emit, seed: 3 });
    core.start(600);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await core.stop();
    const count = out.events.length;
    expect(out.events.some((e) => e.type === 'order.created')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(out.events.length).toBe(count);
    await store.close();
  });
});

describe('sandbox core determinism', () => {
  it('the same seed and clock give the same history on PGlite and on PostgreSQL', async () => {
    const runs: string[][] = [];
    for (const kind of ['pglite', 'postgres'] as const) {
      const store = await (await freshStore(kind))();
      const out = recorder();
      const core = await openSandboxCore({ db: store.db, emit: out.emit, seed: 77, now: () => new Date(NOW) });
      await core.backfill(1, 2);
      runs.push(out.events.map((e) => `${e.id} ${e.type} ${e.occurred_at}`));
      await store.close();
    }
    expect(runs[0].length).toBeGreaterThan(1000);
    expect(runs[1]).toEqual(runs[0]);
  });
});
