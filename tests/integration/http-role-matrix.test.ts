import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as actionsRoute from '@/app/api/actions/route';
import * as approversRoute from '@/app/api/admin/approvers/route';
import * as auditRoute from '@/app/api/admin/audit/route';
import * as rulesRoute from '@/app/api/admin/exception-rules/route';
import * as thresholdRoute from '@/app/api/admin/refund-threshold/route';
import { actionNames, type ActionName } from '@/lib/actions/action-requests';
import { adminChangeNames } from '@/lib/actions/admin-changes';
import { hasApproverRight } from '@/lib/actions/approver-rights';
import { transactionalCoreSlot } from '@/lib/core/core-slot';
import { buildCatalogue, WAREHOUSES } from '@/lib/core/sandbox/catalogue';
import { openSandboxCore, type SandboxCore, type SandboxEvent } from '@/lib/core/sandbox/sandbox-core';
import { ruleNames } from '@/lib/exceptions/rule-catalogue';
import { openPgSchemaStore } from '../support/pg-schema';
import { startRouteHarness, type RouteHarness, type Who } from '../support/route-harness';

// The authorisation matrix over HTTP: every demo account × every action and admin route, through
// the real route handlers, Better Auth sessions and the sandbox core. Workflow routes are in
// http-exception-routes.test.ts.
const SEED = 31;
let clock = Date.parse('2026-05-20T12:00:00Z');
let pgStore: Awaited<ReturnType<typeof openPgSchemaStore>>;
let h: RouteHarness;
let core: SandboxCore;
const emitted: SandboxEvent[] = [];
const WATCHERS: readonly Who[] = ['executive', 'analyst'];
const NOT_ADMINS: readonly Who[] = ['executive', 'ops_lead', 'analyst', 'approver'];

beforeAll(async () => {
  pgStore = await openPgSchemaStore('http_matrix');
  h = await startRouteHarness(pgStore.store);
  core = await openSandboxCore({ db: pgStore.store.db, seed: SEED, now: () => new Date(clock), emit: async (b) => void emitted.push(...b) });
  await core.backfill(10, 1);
  clock += 3_600_000;
  await core.tick();
  transactionalCoreSlot.set(core.actions);
});
afterAll(async () => {
  await core?.stop();
  await pgStore?.drop();
});

const errorBody = z.object({ error: z.string() });
const db = () => pgStore.store.db;
const column = async (q: ReturnType<typeof sql<{ id: string }>>) => (await q.execute(db())).rows.map((r) => r.id);

async function answer(res: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = await res.text();
  return { status: res.status, body: text ? z.record(z.string(), z.unknown()).parse(JSON.parse(text)) : {} };
}

const act = async (who: Who | null, action: ActionName, payload: Record<string, unknown>) =>
  answer(await actionsRoute.POST(h.request('POST', '/api/actions', who, { json: { action, payload, idempotencyKey: randomUUID() } })));

/** The n-th real entity each action can be taken on in the seeded world (n = 0 for one person, 1 for another). */
async function payloadFor(action: ActionName, n: number): Promise<Record<string, unknown>> {
  switch (action) {
    case 'release_hold':
      return { orderId: (await column(sql`select order_id as id from sandbox_orders where status = 'held' order by order_id`))[n] };
    case 'cancel_order':
      return { orderId: (await column(sql`select order_id as id from sandbox_orders where status = 'allocated' order by order_id`))[n], reason: 'customer called' };
    case 'reallocate_order':
      return reallocatable(n);
    case 'expedite_order':
      return { orderId: (await column(sql`select order_id as id from sandbox_orders where status = 'allocated' order by order_id desc`))[n] };
    case 'split_shipment':
      // A backordered order if the world has one; else any open order, which the core refuses to split (409).
      return { orderId: (await column(sql`select order_id as id from sandbox_orders where status in ('backordered', 'ready', 'allocated') order by status = 'backordered' desc, order_id`))[n] };
    case 'approve_refund':
      return { refundId: (await column(sql`select refund_id as id from sandbox_refunds where status = 'requested' and amount <= 500 order by refund_id`))[n] };
    case 'reject_refund':
      return { refundId: (await column(sql`select refund_id as id from sandbox_refunds where status = 'requested' order by refund_id desc`))[n], reason: 'outside policy' };
    case 'set_return_disposition': {
      const returnId = (await column(sql`select return_id as id from sandbox_returns where status = 'received' order by return_id`))[n];
      const rma = await core.actions.describeReturn(returnId);
      return { returnId, lines: (rma?.lines ?? []).map((l) => ({ sku: l.sku, qty: l.qty, disposition: 'restock' })) };
    }
    case 'post_stock_count': {
      const { rows } = await sql<{ warehouse: string; sku: string; on_hand: number }>`select warehouse, sku, on_hand from sandbox_stock order by warehouse, sku`.execute(db());
      return { warehouse: rows[n].warehouse, sku: rows[n].sku, countedQty: rows[n].on_hand };
    }
    case 'create_replenishment_po':
      return { warehouse: WAREHOUSES[n], sku: buildCatalogue(SEED).skus[n].sku, qty: 12 };
  }
}

/** An allocated order that another warehouse has every unit free for (skipping the first `n` such). */
async function reallocatable(n: number): Promise<Record<string, unknown>> {
  let seen = 0;
  for (const orderId of await column(sql`select order_id as id from sandbox_orders where status = 'allocated' order by order_id`)) {
    const order = await core.actions.describeOrder(orderId);
    if (!order) continue;
    for (const to of WAREHOUSES.filter((w) => w !== order.warehouse)) {
      const { rows } = await sql<{ sku: string; free: number }>`select sku, on_hand - reserved as free from sandbox_stock where warehouse = ${to}`.execute(db());
      const free = new Map(rows.map((r) => [r.sku, Number(r.free)]));
      if (order.lines.every((l) => (free.get(l.sku) ?? 0) >= l.qty) && seen++ === n) return { orderId, warehouse: to };
    }
  }
  throw new Error(`no ${n + 1}th order can be reallocated in the seeded world`);
}

describe('POST /api/actions: every role × every action', () => {
  it.each(actionNames)('%s: 401 signed out; 403 for executives and analysts, with no effect; done for ops leads and admins', async (action) => {
    const forOps = await payloadFor(action, 0);
    const forAdmin = await payloadFor(action, 1);
    expect(Object.values(forOps).every((v) => v !== undefined), `the seeded world has a ${action} case`).toBe(true);
    expect(Object.values(forAdmin).every((v) => v !== undefined), `the seeded world has a second ${action} case`).toBe(true);

    expect((await act(null, action, forOps)).status).toBe(401);
    for (const who of WATCHERS) {
      const before = emitted.length;
      const refused = await act(who, action, forOps);
      expect(refused.status, `${who} ${action}`).toBe(403);
      expect(errorBody.parse(refused.body).error).toMatch(/can watch but not act/);
      expect(emitted.length, `a refused ${action} changes nothing in the core`).toBe(before);
    }
    for (const [who, payload] of [['ops_lead', forOps], ['admin', forAdmin]] as const) {
      const before = emitted.length;
      const done = await act(who, action, payload);
      if (action === 'split_shipment' && done.status === 409) {
        // The role check passed and the core judged the order: this world's backorders may not split.
        expect(errorBody.parse(done.body).error).toMatch(/not backordered|units free|all of order .* in stock/);
        continue;
      }
      expect(done, `${who} ${action}`).toMatchObject({ status: 200, body: { status: 'done' } });
      expect(emitted.length).toBeGreaterThan(before);
    }
  });
});

describe('two-person refund approval over HTTP', () => {
  it('a requester cannot approve their own large refund; a second approver can', async () => {
    const saved = await thresholdRoute.POST(h.request('POST', '/api/admin/refund-threshold', 'admin', { form: { threshold: '20' } }));
    expect(saved.status).toBe(303);
    expect(new URL(saved.headers.get('location') ?? '').searchParams.get('threshold_saved')).toBe('20');
    const [mine, theirs] = await column(sql`select refund_id as id from sandbox_refunds where status = 'requested' and amount > 20 order by refund_id`);
    expect(theirs, 'two requested refunds above the threshold').toBeDefined();

    expect(await act('approver', 'approve_refund', { refundId: mine })).toMatchObject({ status: 200, body: { status: 'awaiting_approval' } });
    const self = await act('approver', 'approve_refund', { refundId: mine });
    expect(self.status).toBe(403);
    expect(errorBody.parse(self.body).error).toContain(`You requested approval of refund ${mine}; a different person holding the approver right must approve it.`);
    const noRight = await act('ops_lead', 'approve_refund', { refundId: mine });
    expect(noRight.status).toBe(403);
    expect(errorBody.parse(noRight.body).error).toMatch(/you do not hold the approver right/);
    expect((await core.actions.describeRefund(mine))?.status).toBe('requested');

    expect(await act('ops_lead', 'approve_refund', { refundId: theirs })).toMatchObject({ status: 200, body: { status: 'awaiting_approval' } });
    expect((await act('ops_lead', 'approve_refund', { refundId: theirs })).status).toBe(403);
    const second = await act('approver', 'approve_refund', { refundId: theirs });
    expect(second).toMatchObject({ status: 200, body: { status: 'done', summary: expect.stringContaining('approved by Demo Approver') } });
    expect((await core.actions.describeRefund(theirs))?.status).toBe('approved');
  });
});

describe('admin routes: admins only', () => {
  const calls: Record<string, (who: Who | null) => Promise<Response>> = {
    'GET /api/admin/audit': (who) => auditRoute.GET(h.request('GET', '/api/admin/audit', who)),
    'GET /api/admin/exception-rules': (who) => rulesRoute.GET(h.request('GET', '/api/admin/exception-rules', who)),
    'PUT /api/admin/exception-rules': (who) =>
      rulesRoute.PUT(h.request('PUT', '/api/admin/exception-rules', who, { json: { rule: 'ship_late', settings: { enabled: true, slaMinutes: 90, thresholds: { graceMinutes: 15 } } } })),
    'POST /api/admin/refund-threshold': (who) => thresholdRoute.POST(h.request('POST', '/api/admin/refund-threshold', who, { form: { threshold: '750' } })),
    'PUT /api/admin/approvers': (who) => approversRoute.PUT(h.request('PUT', '/api/admin/approvers', who, { json: { userId: h.userId.ops_lead, approver: true } })),
  };

  it.each(Object.keys(calls))('%s: 401 signed out, 403 for every other role, allowed for admins', async (route) => {
    expect((await calls[route](null)).status).toBe(401);
    for (const who of NOT_ADMINS) {
      const refused = await answer(await calls[route](who));
      expect(refused.status, `${who} on ${route}`).toBe(403);
      expect(errorBody.parse(refused.body).error).toMatch(/admin/i);
    }
    expect([200, 303]).toContain((await calls[route]('admin')).status);
  });

  it('lists every rule with defaults; refuses unknown thresholds and bad SLAs with a clear message', async () => {
    const { body } = await answer(await rulesRoute.GET(h.request('GET', '/api/admin/exception-rules', 'admin')));
    const rules = z.array(z.object({ rule: z.string(), settings: z.object({ slaMinutes: z.number() }), defaults: z.object({ slaMinutes: z.number() }) })).parse(body.rules);
    expect(rules.map((r) => r.rule)).toEqual([...ruleNames]);
    expect(rules.find((r) => r.rule === 'ship_late')?.settings.slaMinutes).toBe(90);
    const put = (settings: unknown) => rulesRoute.PUT(h.request('PUT', '/api/admin/exception-rules', 'admin', { json: { rule: 'ship_late', settings } }));
    const unknown = await answer(await put({ enabled: true, slaMinutes: 90, thresholds: { graceHours: 1 } }));
    expect(unknown.status).toBe(400);
    expect(errorBody.parse(unknown.body).error).toBe('Rule ship_late has no threshold "graceHours"; it knows graceMinutes.');
    const badSla = await answer(await put({ enabled: true, slaMinutes: 0, thresholds: {} }));
    expect(badSla.status).toBe(400);
    expect(errorBody.parse(badSla.body).error).toMatch(/slaMinutes/);
  });

  it('grants and withdraws the approver right, refuses it to roles that cannot act, and audits each change', async () => {
    const put = async (userId: string, approver: boolean) => answer(await approversRoute.PUT(h.request('PUT', '/api/admin/approvers', 'admin', { json: { userId, approver } })));
    expect(await put(h.userId.ops_lead, true)).toMatchObject({ status: 200, body: { person: { id: h.userId.ops_lead, approver: true } } });
    expect(await hasApproverRight(db(), h.userId.ops_lead)).toBe(true);
    expect(await put(h.userId.ops_lead, false)).toMatchObject({ status: 200, body: { person: { id: h.userId.ops_lead, approver: false } } });
    expect(await hasApproverRight(db(), h.userId.ops_lead)).toBe(false);
    const executive = await put(h.userId.executive, true);
    expect(executive.status).toBe(409);
    expect(errorBody.parse(executive.body).error).toMatch(/cannot act/);
    expect(await hasApproverRight(db(), h.userId.executive)).toBe(false);
    expect((await put('nobody', true)).status).toBe(404);

    const { body } = await answer(await auditRoute.GET(h.request('GET', `/api/admin/audit?actor=${h.userId.admin}&pageSize=200`, 'admin')));
    const rows = z.array(z.object({ action: z.string(), entity_id: z.string(), before: z.unknown(), after: z.unknown(), outcome: z.string() })).parse(body.rows);
    const changes = rows.map((r) => [r.action, r.entity_id, r.before, r.after]);
    expect(changes).toContainEqual(['withdraw_approver', h.userId.ops_lead, { approver: true }, { approver: false }]);
    expect(changes).toContainEqual(['grant_approver', h.userId.ops_lead, { approver: false }, { approver: true }]);
    expect(changes).toContainEqual(['set_refund_threshold', 'refund_approval_threshold', { threshold: 20 }, { threshold: 750 }]);
    expect(changes.find((c) => c[0] === 'set_exception_rule')).toEqual(['set_exception_rule', 'ship_late', expect.objectContaining({ slaMinutes: 120 }), expect.objectContaining({ slaMinutes: 90, thresholds: { graceMinutes: 15 } })]);
    expect(rows.filter((r) => adminChangeNames.some((n) => n === r.action)).every((r) => r.outcome === 'done')).toBe(true);
  });
});
