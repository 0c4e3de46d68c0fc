import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService, type IngestService } from '@/ingest/ingest-service';
import type { ActionName } from '@/lib/actions/action-requests';
import { createActionService, type Actor } from '@/lib/actions/action-service';
import { migrateActions } from '@/lib/actions/action-tables';
import { listAudit } from '@/lib/actions/audit-log';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import { buildCatalogue, regionByName, WAREHOUSES } from '@/lib/core/sandbox/catalogue';
import { openSandboxCore, type SandboxCore, type SandboxEvent } from '@/lib/core/sandbox/sandbox-core';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';

// Closed loop per action: the ops lead acts through the action service → the sandbox core really
// changes → its events pass ingest into chDB → the audit row holds before and after.
const SEED = 31;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let clock = Date.parse('2026-05-20T12:00:00Z');
let dir: string;
let store: TransactionalStore;
let analytics: Analytics;
let ingest: IngestService;
let core: SandboxCore;
let ingesting = false;
const emitted: SandboxEvent[] = [];
const lead: Actor = { userId: 'u-lead', name: 'Olivia Ops', role: 'ops_lead', canApproveRefunds: false };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'action-loop-'));
  analytics = await openAnalytics({ dataDir: path.join(dir, 'ch'), maxMemoryBytes: 1024 ** 3 });
  await migrateAnalytics(analytics);
  ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 20 });
  store = await openTransactionalStore({ dataDir: dir });
  await migrateActions(store.db);
  core = await openSandboxCore({
    db: store.db,
    seed: SEED,
    now: () => new Date(clock),
    emit: async (batch) => {
      emitted.push(...batch);
      if (!ingesting) return;
      const result = await ingest.submit(batch, 'sandbox');
      expect(result.rejected).toEqual([]);
    },
  });
  // Ten days give returns that wait for inspection; the tower sees only what happens after.
  await core.backfill(10, 1);
  ingesting = true;
  await advance(3 * HOUR);
});

afterAll(async () => {
  await core.stop();
  await ingest.close();
  await store.close();
  await analytics.close();
  await rm(dir, { recursive: true, force: true });
});

async function advance(ms: number): Promise<void> {
  clock += ms;
  await core.tick();
}

const act = (action: ActionName, payload: Record<string, unknown>) =>
  createActionService({ db: store.db, core: () => core.actions }).performAction({ actor: lead, request: { action, payload, idempotencyKey: randomUUID(), exceptionId: `exc-${action}` } });

/** Performs the action and returns the events it emitted (by the ids the core answered in the audit row). */
async function perform(action: ActionName, payload: Record<string, unknown>) {
  const outcome = await act(action, payload);
  expect(outcome.status).toBe('done');
  const audit = (await listAudit(store.db, { action, pageSize: 1 })).rows[0];
  expect(audit.outcome).toBe('done');
  expect(audit.exception_id).toBe(`exc-${action}`);
  expect(audit.actor_name).toBe(lead.name);
  const answer = z.object({ eventIds: z.array(z.string()), summary: z.string() }).parse(audit.answer);
  expect(answer.summary).toBe(outcome.status === 'done' ? outcome.summary : '');
  const events = answer.eventIds.map((id) => emitted.find((e) => e.id === id));
  expect(events.every((e) => e !== undefined)).toBe(true);
  return { outcome, audit, events: events as SandboxEvent[] };
}

async function ids(q: ReturnType<typeof sql<{ id: string }>>): Promise<string[]> {
  return (await q.execute(store.db)).rows.map((r) => r.id);
}

async function stock(warehouse: string, sku: string): Promise<{ on_hand: number; reserved: number }> {
  const { rows } = await sql<{ on_hand: number; reserved: number }>`select on_hand, reserved from sandbox_stock where warehouse = ${warehouse} and sku = ${sku}`.execute(store.db);
  return rows[0];
}

const orderLines = z.array(z.object({ sku: z.string(), qty: z.number() }));

describe('closed loop: action → core → events → chDB → audit', () => {
  it('releases a held order, which then continues to allocation', async () => {
    const [orderId] = await ids(sql<{ id: string }>`select order_id as id from sandbox_orders where status = 'held' order by order_id`);
    expect(orderId, 'the seeded world has an order on hold').toBeDefined();
    const { events, audit } = await perform('release_hold', { orderId });
    expect(events.map((e) => [e.type, e.data])).toEqual([['order.released', { order_id: orderId, by: lead.name }]]);
    expect(audit.before).toMatchObject({ orderId, status: 'held' });
    expect(audit.after).toMatchObject({ orderId, status: 'ready', holdReason: null });
    await advance(15 * MINUTE);
    expect(emitted.some((e) => e.type === 'order.allocated' && (e.data as { order_id: string }).order_id === orderId)).toBe(true);
    const again = act('release_hold', { orderId });
    await expect(again).rejects.toMatchObject({ status: 409, message: expect.stringContaining(`Order ${orderId} is not on hold`) });
  });

  it('cancels an allocated order and frees its reserved stock', async () => {
    const [orderId] = await ids(sql<{ id: string }>`select order_id as id from sandbox_orders where status = 'allocated' order by order_id`);
    const order = await core.actions.describeOrder(orderId);
    const line = order!.lines[0];
    const before = await stock(order!.warehouse!, line.sku);
    const { events } = await perform('cancel_order', { orderId, reason: 'customer called' });
    expect(events.map((e) => [e.type, e.data])).toEqual([['order.cancelled', { order_id: orderId, reason: 'customer called', initiated_by: 'seller' }]]);
    expect((await stock(order!.warehouse!, line.sku)).reserved).toBe(before.reserved - line.qty);
    expect((await core.actions.describeOrder(orderId))?.status).toBe('cancelled');
  });

  it('reallocates an allocated order to another warehouse with stock', async () => {
    const candidates = await ids(sql<{ id: string }>`select order_id as id from sandbox_orders where status = 'allocated' order by order_id`);
    let done = false;
    for (const orderId of candidates) {
      const order = (await core.actions.describeOrder(orderId))!;
      for (const to of WAREHOUSES.filter((w) => w !== order.warehouse)) {
        const free = await Promise.all(order.lines.map(async (l) => ({ l, s: await stock(to, l.sku) })));
        if (!free.every(({ l, s }) => s.on_hand - s.reserved >= l.qty)) continue;
        const from = order.warehouse!;
        const beforeFrom = await stock(from, order.lines[0].sku);
        const beforeTo = await stock(to, order.lines[0].sku);
        const { events } = await perform('reallocate_order', { orderId, warehouse: to });
        expect(events.map((e) => e.type)).toEqual(['order.allocated']);
        expect(events[0].data).toEqual({ order_id: orderId, warehouse: to, lines: order.lines.map((l) => ({ sku: l.sku, qty: l.qty })) });
        expect((await stock(from, order.lines[0].sku)).reserved).toBe(beforeFrom.reserved - order.lines[0].qty);
        expect((await stock(to, order.lines[0].sku)).reserved).toBe(beforeTo.reserved + order.lines[0].qty);
        done = true;
        break;
      }
      if (done) break;
    }
    expect(done).toBe(true);
  });

  it('expedites an allocated order: its pick starts now and it ships express', async () => {
    const [orderId] = await ids(sql<{ id: string }>`select order_id as id from sandbox_orders where status = 'allocated' order by order_id desc`);
    const { events, audit } = await perform('expedite_order', { orderId });
    expect(events.map((e) => e.type)).toContain('pick.created');
    expect(audit.after).toMatchObject({ orderId, status: 'picking', expedited: true });
    await advance(2 * HOUR);
    const shipped = emitted.find((e) => e.type === 'order.shipped' && (e.data as { order_id: string }).order_id === orderId);
    expect(shipped?.data).toMatchObject({ service: 'express' });
  });

  it('posts counts that empty the busiest SKUs, then ships a backordered order in part', async () => {
    const catalogue = buildCatalogue(SEED);
    const busiest = [...catalogue.skus].sort((a, b) => b.demandShare - a.demandShare).slice(0, 12);
    for (const s of busiest) {
      for (const w of WAREHOUSES) {
        const level = await stock(w, s.sku);
        const { events } = await perform('post_stock_count', { warehouse: w, sku: s.sku, countedQty: level.reserved });
        expect(events[0].data).toEqual({ warehouse: w, sku: s.sku, qty_delta: level.reserved - level.on_hand, reason: 'cycle_count', expected_qty: level.on_hand, counted_qty: level.reserved });
        expect((await stock(w, s.sku)).on_hand).toBe(level.reserved);
      }
    }
    await advance(6 * HOUR);
    const { rows } = await sql<{ order_id: string; region: string; lines: unknown }>`select order_id, region, lines from sandbox_orders where status = 'backordered' order by order_id`.execute(store.db);
    const empty = new Set(busiest.map((s) => s.sku));
    let split: { orderId: string; shipped: string[]; short: string[] } | null = null;
    for (const r of rows) {
      const lines = orderLines.parse(typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines);
      const home = regionByName(r.region).warehouse;
      const ok = await Promise.all(lines.map(async (l) => ({ l, s: await stock(home, l.sku) })));
      const shipped = ok.filter(({ l, s }) => !empty.has(l.sku) && s.on_hand - s.reserved >= l.qty).map(({ l }) => l.sku);
      const short = lines.filter((l) => empty.has(l.sku)).map((l) => l.sku);
      if (shipped.length && short.length && shipped.length + short.length === lines.length) {
        split = { orderId: r.order_id, shipped, short };
        break;
      }
    }
    expect(split, 'a backordered order with some lines in stock').not.toBeNull();
    const { events, audit } = await perform('split_shipment', { orderId: split!.orderId });
    expect(events.map((e) => e.type)).toEqual(['order.shipped', 'order.backordered']);
    expect((events[0].data as { lines: { sku: string }[] }).lines.map((l) => l.sku).sort()).toEqual([...split!.shipped].sort());
    expect((events[1].data as { lines: { sku: string }[] }).lines.map((l) => l.sku).sort()).toEqual([...split!.short].sort());
    expect(audit.after).toMatchObject({ status: 'backordered', shipment: { status: 'in_transit' } });
  });

  it('approves a refund, which is then issued; rejects another', async () => {
    const [approveId, rejectId] = await ids(sql<{ id: string }>`select refund_id as id from sandbox_refunds where status = 'requested' and amount <= 500 order by refund_id`);
    const approved = await perform('approve_refund', { refundId: approveId });
    expect(approved.events.map((e) => [e.type, e.data])).toEqual([['refund.approved', { refund_id: approveId, approver: lead.name }]]);
    const rejected = await perform('reject_refund', { refundId: rejectId, reason: 'outside policy' });
    expect(rejected.events.map((e) => [e.type, e.data])).toEqual([['refund.rejected', { refund_id: rejectId, reason: 'outside policy' }]]);
    await advance(HOUR);
    expect(emitted.filter((e) => e.type === 'refund.issued' && (e.data as { refund_id: string }).refund_id === approveId)).toHaveLength(1);
  });

  it('sets a received return’s disposition: restocked units are back on hand', async () => {
    const [returnId] = await ids(sql<{ id: string }>`select return_id as id from sandbox_returns where status = 'received' order by return_id`);
    const rma = (await core.actions.describeReturn(returnId))!;
    const line = rma.lines[0];
    const before = await stock(rma.warehouse, line.sku);
    const lines = rma.lines.map((l, i) => ({ sku: l.sku, qty: l.qty, disposition: i === 0 ? 'restock' : 'scrap' }));
    const { events, audit } = await perform('set_return_disposition', { returnId, lines });
    expect(events[0].type).toBe('return.inspected');
    expect((events[0].data as { lines: { disposition: string }[] }).lines.map((l) => l.disposition)).toEqual(lines.map((l) => l.disposition));
    expect((await stock(rma.warehouse, line.sku)).on_hand).toBe(before.on_hand + line.qty);
    expect(audit.after).toMatchObject({ returnId, status: 'inspected' });
  });

  it('raises a replenishment PO with the SKU’s supplier, received later by the flow', async () => {
    const sku = buildCatalogue(SEED).skus[0];
    const { events, audit } = await perform('create_replenishment_po', { warehouse: 'WH-WEST', sku: sku.sku, qty: 24 });
    expect(events[0]).toMatchObject({ type: 'po.created', data: { supplier: sku.supplier, warehouse: 'WH-WEST', lines: [{ sku: sku.sku, qty: 24, unit_cost: sku.cost }] } });
    expect(audit.after).toMatchObject({ onOrder: (audit.before as { onOrder: number }).onOrder + 24 });
  });

  it('every event an action emitted is stored in chDB', async () => {
    await ingest.flush();
    const audit = await listAudit(store.db, { actor: lead.userId, pageSize: 200 });
    const actionEventIds = audit.rows.filter((r) => r.outcome === 'done').flatMap((r) => z.object({ eventIds: z.array(z.string()) }).parse(r.answer).eventIds);
    expect(actionEventIds.length).toBeGreaterThan(40);
    const stored = await analytics.query({
      name: 'test.action-events',
      sql: 'SELECT id, type FROM events WHERE id IN {ids:Array(String)} ORDER BY id',
      params: { ids: actionEventIds },
      schema: z.object({ id: z.string(), type: z.string() }),
    });
    expect(stored.map((r) => r.id).sort()).toEqual([...actionEventIds].sort());
  });
});
