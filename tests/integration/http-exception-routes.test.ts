import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as detailRoute from '@/app/api/exceptions/[id]/route';
import * as commentsRoute from '@/app/api/exceptions/[id]/comments/route';
import * as assigneesRoute from '@/app/api/exceptions/assignees/route';
import * as claimRoute from '@/app/api/exceptions/claim/route';
import * as reassignRoute from '@/app/api/exceptions/reassign/route';
import * as releaseRoute from '@/app/api/exceptions/release/route';
import * as resolveRoute from '@/app/api/exceptions/resolve/route';
import * as listRoute from '@/app/api/exceptions/route';
import * as snoozeRoute from '@/app/api/exceptions/snooze/route';
import type { ExceptionsDelta } from '@/lib/bus/live-bus';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';
import { handOverExceptions } from '@/lib/exceptions/exception-handover';
import type { RaisedCondition } from '@/lib/exceptions/raised-condition';
import { reconcileConditions } from '@/lib/exceptions/reconcile-conditions';
import { openPgSchemaStore } from '../support/pg-schema';
import { startRouteHarness, type RouteHarness, type Who } from '../support/route-harness';

// The exception workflow routes over HTTP for every demo account, and the claim handover
// (release, hand over) with its history and its race against a second web process.
let pgStore: Awaited<ReturnType<typeof openPgSchemaStore>>;
let second: TransactionalStore;
let h: RouteHarness;
const deltas: ExceptionsDelta[] = [];
let seq = 0;

beforeAll(async () => {
  pgStore = await openPgSchemaStore('http_exc');
  h = await startRouteHarness(pgStore.store);
  await h.bus.subscribe('exceptions', (d) => deltas.push(d));
  second = await openTransactionalStore({ databaseUrl: pgStore.url, dataDir: '/tmp' });
});
afterAll(async () => {
  await second?.close();
  await pgStore?.drop();
});

/** Opens `n` fresh items in the order-holds queue, as the engine would. */
async function openItems(n: number): Promise<string[]> {
  const raised: RaisedCondition[] = Array.from({ length: n }, () => {
    const order = `SO-HTTP-${++seq}`;
    return {
      queue: 'order_holds',
      rule: `http_${seq}`,
      dedupeKey: `hold:${order}`,
      severity: 'high',
      summary: `Order ${order} on hold`,
      valueAtRisk: 100,
      currency: 'USD',
      entities: [{ kind: 'order', id: order }],
      warehouse: 'WH-EAST',
      channel: 'web',
      beganAt: '2026-05-20T10:00:00.000Z',
    };
  });
  const ids: string[] = [];
  for (const c of raised) {
    const { upserted } = await reconcileConditions(pgStore.store.db, { rule: c.rule }, [c], { now: new Date(), slaMinutes: 60 });
    ids.push(upserted[0].id);
  }
  return ids;
}

const itemSchema = z.object({ id: z.string(), status: z.string(), assigneeId: z.string().nullable(), assigneeName: z.string().nullable() });
const refusalSchema = z.object({ id: z.string(), reason: z.string(), assigneeName: z.string().nullable(), message: z.string() });
const answers = {
  released: z.object({ released: z.array(itemSchema), refused: z.array(refusalSchema) }),
  reassigned: z.object({ reassigned: z.array(itemSchema), refused: z.array(refusalSchema) }),
};

async function step(route: { POST: (r: Request) => Promise<Response> }, path: string, who: Who | null, json: unknown) {
  const res = await route.POST(h.request('POST', path, who, { json }));
  return { status: res.status, body: z.record(z.string(), z.unknown()).parse(await res.json()) };
}

async function history(id: string) {
  const res = await detailRoute.GET(h.request('GET', `/api/exceptions/${id}`, 'admin'), { params: Promise.resolve({ id }) });
  const detail = z
    .object({ item: itemSchema, history: z.array(z.object({ actorName: z.string(), fromStatus: z.string().nullable(), toStatus: z.string(), note: z.string().nullable() })) })
    .parse(await res.json());
  return detail;
}

describe('exception routes: every role', () => {
  it('everyone signed in sees the queue and an item; nobody signed out does', async () => {
    const [id] = await openItems(1);
    for (const who of ['executive', 'ops_lead', 'analyst', 'admin', 'approver'] as const) {
      const list = await listRoute.GET(h.request('GET', '/api/exceptions?queue=order_holds', who));
      expect(list.status, who).toBe(200);
      expect(z.object({ items: z.array(itemSchema) }).parse(await list.json()).items.map((i) => i.id)).toContain(id);
      expect((await detailRoute.GET(h.request('GET', `/api/exceptions/${id}`, who), { params: Promise.resolve({ id }) })).status).toBe(200);
    }
    expect((await listRoute.GET(h.request('GET', '/api/exceptions', null))).status).toBe(401);
  });

  const steps = [
    ['claim', claimRoute, {}],
    ['snooze', snoozeRoute, { until: new Date(Date.now() + 3_600_000).toISOString() }],
    ['resolve', resolveRoute, {}],
    ['release', releaseRoute, {}],
  ] as const;
  it.each(steps)('POST /api/exceptions/%s: 401 signed out, 403 for executives and analysts, allowed for ops leads and admins', async (name, route, extra) => {
    const [id] = await openItems(1);
    const path = `/api/exceptions/${name}`;
    expect((await step(route, path, null, { ids: [id], ...extra })).status).toBe(401);
    for (const who of ['executive', 'analyst'] as const) {
      const refused = await step(route, path, who, { ids: [id], ...extra });
      expect(refused.status, `${who} ${name}`).toBe(403);
      expect(refused.body.error).toBe('Your role cannot work on exceptions (ops leads and admins).');
    }
    if (name === 'release') await step(claimRoute, '/api/exceptions/claim', 'ops_lead', { ids: [id] });
    for (const who of ['ops_lead', 'admin'] as const) expect((await step(route, path, who, { ids: [id], ...extra })).status, `${who} ${name}`).toBe(200);
  });

  it('hand-over, the people to hand to, and comments: 403 for executives and analysts', async () => {
    const [id] = await openItems(1);
    for (const who of ['executive', 'analyst'] as const) {
      expect((await step(reassignRoute, '/api/exceptions/reassign', who, { ids: [id], toUserId: h.userId.ops_lead })).status).toBe(403);
      expect((await assigneesRoute.GET(h.request('GET', '/api/exceptions/assignees', who))).status).toBe(403);
      const comment = await commentsRoute.POST(h.request('POST', `/api/exceptions/${id}/comments`, who, { json: { body: 'hello' } }), { params: Promise.resolve({ id }) });
      expect(comment.status).toBe(403);
    }
    const people = z.object({ people: z.array(z.object({ id: z.string(), role: z.string() })) }).parse(await (await assigneesRoute.GET(h.request('GET', '/api/exceptions/assignees', 'ops_lead'))).json()).people;
    expect(people.map((p) => p.id).sort()).toEqual([h.userId.ops_lead, h.userId.admin, h.userId.approver].sort());
  });
});

describe('claim handover', () => {
  it('an ops lead releases their own claim, back to open and unassigned, and nobody else can', async () => {
    const [id] = await openItems(1);
    await step(claimRoute, '/api/exceptions/claim', 'ops_lead', { ids: [id] });
    const notTheirs = await step(releaseRoute, '/api/exceptions/release', 'approver', { ids: [id] });
    expect(answers.released.parse(notTheirs.body)).toEqual({
      released: [],
      refused: [{ id, reason: 'not_yours', assigneeName: 'Demo Ops lead', message: 'Demo Ops lead holds it; only they can release it (an admin can reassign it).' }],
    });
    const before = deltas.length;
    const released = answers.released.parse((await step(releaseRoute, '/api/exceptions/release', 'ops_lead', { ids: [id], note: 'off shift' })).body);
    expect(released.released).toEqual([expect.objectContaining({ id, status: 'open', assigneeId: null, assigneeName: null })]);
    expect(deltas.slice(before).flatMap((d) => d.upserted.map((i) => [i.id, i.status]))).toEqual([[id, 'open']]);
    const again = answers.released.parse((await step(releaseRoute, '/api/exceptions/release', 'ops_lead', { ids: [id] })).body);
    expect(again.refused.map((r) => r.reason)).toEqual(['not_claimed']);
    expect((await history(id)).history.slice(1).map((e) => [e.actorName, e.fromStatus, e.toStatus, e.note])).toEqual([
      ['Demo Ops lead', 'open', 'claimed', null],
      ['Demo Ops lead', 'claimed', 'open', 'claim of Demo Ops lead released: off shift'],
    ]);
  });

  it('the holder hands over to another ops lead; an admin hands over anyone’s claim; stale and wrong targets are refused', async () => {
    const [id] = await openItems(1);
    await step(claimRoute, '/api/exceptions/claim', 'ops_lead', { ids: [id] });
    const reassign = async (who: Who, json: Record<string, unknown>) => step(reassignRoute, '/api/exceptions/reassign', who, { ids: [id], ...json });

    const toExec = await reassign('ops_lead', { toUserId: h.userId.executive });
    expect(toExec).toEqual({ status: 400, body: { error: 'Demo Executive cannot work exceptions (only ops leads and admins do); pick someone else.' } });
    const byOther = answers.reassigned.parse((await reassign('approver', { toUserId: h.userId.approver })).body);
    expect(byOther.refused.map((r) => r.reason)).toEqual(['not_yours']);

    const handed = answers.reassigned.parse((await reassign('ops_lead', { toUserId: h.userId.approver, expectedAssigneeId: h.userId.ops_lead })).body);
    expect(handed.reassigned).toEqual([expect.objectContaining({ id, status: 'claimed', assigneeId: h.userId.approver, assigneeName: 'Demo Approver' })]);
    expect(answers.released.parse((await step(releaseRoute, '/api/exceptions/release', 'ops_lead', { ids: [id] })).body).refused.map((r) => r.reason)).toEqual(['not_yours']);

    const stale = answers.reassigned.parse((await reassign('admin', { toUserId: h.userId.admin, expectedAssigneeId: h.userId.ops_lead })).body);
    expect(stale.refused).toEqual([{ id, reason: 'moved_on', assigneeName: 'Demo Approver', message: 'Demo Approver holds it now; look again before handing it over.' }]);
    const byAdmin = answers.reassigned.parse((await reassign('admin', { toUserId: h.userId.ops_lead, expectedAssigneeId: h.userId.approver })).body);
    expect(byAdmin.reassigned.map((i) => i.assigneeId)).toEqual([h.userId.ops_lead]);
    expect((await history(id)).history.slice(2).map((e) => [e.actorName, e.fromStatus, e.toStatus, e.note])).toEqual([
      ['Demo Ops lead', 'claimed', 'claimed', 'handed over from Demo Ops lead to Demo Approver'],
      ['Demo Admin', 'claimed', 'claimed', 'handed over from Demo Approver to Demo Ops lead'],
    ]);
  });

  it('of a release and a hand-over racing from two processes, exactly one applies', async () => {
    const ids = await openItems(20);
    const lead = { id: h.userId.ops_lead, name: 'Demo Ops lead', isAdmin: false };
    await step(claimRoute, '/api/exceptions/claim', 'ops_lead', { ids });
    for (const id of ids) {
      const [released, handed] = await Promise.all([
        handOverExceptions(pgStore.store.db, [id], lead, { kind: 'release' }),
        handOverExceptions(second.db, [id], { id: h.userId.admin, name: 'Demo Admin', isAdmin: true }, { kind: 'reassign', to: { id: h.userId.approver, name: 'Demo Approver' }, expectedAssigneeId: lead.id }),
      ]);
      expect(released.done.length + handed.done.length, id).toBe(1);
      const { item, history: steps } = await history(id);
      if (released.done.length) expect([item.status, item.assigneeId, handed.refused[0]?.reason]).toEqual(['open', null, 'not_claimed']);
      else expect([item.status, item.assigneeId, released.refused[0]?.reason]).toEqual(['claimed', h.userId.approver, 'not_yours']);
      expect(steps).toHaveLength(3);
    }
  });
});
