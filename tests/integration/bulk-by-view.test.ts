import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as claimRoute from '@/app/api/exceptions/claim/route';
import * as resolveRoute from '@/app/api/exceptions/resolve/route';
import * as snoozeRoute from '@/app/api/exceptions/snooze/route';
import type { ExceptionsDelta } from '@/lib/bus/live-bus';
import { transitionExceptions } from '@/lib/exceptions/exception-transitions';
import { PAGE_SIZE } from '@/lib/exceptions/list-exceptions';
import type { RaisedCondition } from '@/lib/exceptions/raised-condition';
import { reconcileConditions } from '@/lib/exceptions/reconcile-conditions';
import { openPgSchemaStore } from '../support/pg-schema';
import { startRouteHarness, type RouteHarness, type Who } from '../support/route-harness';

// "Select all N matching": claim, snooze and resolve act on every item the view matches on the
// server, not on the rows a browser has loaded, with the same checks and history per item.
const PER_WAREHOUSE = PAGE_SIZE * 3;
let pgStore: Awaited<ReturnType<typeof openPgSchemaStore>>;
let h: RouteHarness;
const deltas: ExceptionsDelta[] = [];
const ids: Record<'WH-A' | 'WH-B', string[]> = { 'WH-A': [], 'WH-B': [] };

beforeAll(async () => {
  pgStore = await openPgSchemaStore('bulk_view');
  h = await startRouteHarness(pgStore.store);
  await h.bus.subscribe('exceptions', (d) => deltas.push(d));
  for (const warehouse of ['WH-A', 'WH-B'] as const) {
    const raised: RaisedCondition[] = Array.from({ length: PER_WAREHOUSE }, (_, i) => ({
      queue: 'order_holds',
      rule: 'bulk_hold',
      dedupeKey: `hold:${warehouse}:${i}`,
      severity: i % 2 ? 'high' : 'low',
      summary: `Order ${warehouse}-${i} on hold`,
      valueAtRisk: i,
      currency: 'USD',
      entities: [{ kind: 'order', id: `SO-${warehouse}-${i}` }],
      warehouse,
      channel: 'web',
      beganAt: '2026-05-20T10:00:00.000Z',
    }));
    const { upserted } = await reconcileConditions(
      pgStore.store.db,
      { rule: 'bulk_hold', orderIds: raised.map((r) => r.entities[0].id) },
      raised,
      { now: new Date(), slaMinutes: 60 },
    );
    ids[warehouse] = upserted.map((u) => u.id);
  }
});
afterAll(async () => {
  await pgStore?.drop();
});

const skippedSchema = z.array(z.object({ reason: z.string(), assigneeName: z.string().nullable(), count: z.number() }));

async function step(route: { POST: (r: Request) => Promise<Response> }, who: Who, json: unknown) {
  const res = await route.POST(h.request('POST', '/api/exceptions/step', who, { json }));
  return { status: res.status, body: z.record(z.string(), z.unknown()).parse(await res.json()) };
}

async function statuses(warehouse: string) {
  const { rows } = await sql<{ status: string; assignee_id: string | null; n: string }>`
    select status, assignee_id, count(*) as n from exception_items where warehouse = ${warehouse}
    group by status, assignee_id order by status, assignee_id`.execute(pgStore.store.db);
  return rows.map((r) => ({ status: r.status, assigneeId: r.assignee_id, n: Number(r.n) }));
}

describe('bulk steps on every item a view matches', () => {
  it('claims all matching items, skips those someone else holds, and leaves other views alone', async () => {
    // The admin holds ten of WH-A's items already.
    const held = ids['WH-A'].slice(0, 10);
    await transitionExceptions(pgStore.store.db, held, { id: h.userId.admin, name: 'Admin' }, { kind: 'claim' });
    deltas.length = 0;

    const res = await step(claimRoute, 'ops_lead', { matching: { queue: 'order_holds', warehouse: 'WH-A' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.matched).toBe(PER_WAREHOUSE);
    expect(res.body.claimed).toBe(PER_WAREHOUSE - 10);
    expect(skippedSchema.parse(res.body.skipped)).toEqual([
      { reason: 'assigned_to_someone_else', assigneeName: 'Admin', count: 10 },
    ]);

    const a = await statuses('WH-A');
    expect(a).toHaveLength(2);
    expect(a).toEqual(
      expect.arrayContaining([
        { status: 'claimed', assigneeId: h.userId.admin, n: 10 },
        { status: 'claimed', assigneeId: h.userId.ops_lead, n: PER_WAREHOUSE - 10 },
      ]),
    );
    expect(await statuses('WH-B')).toEqual([{ status: 'open', assigneeId: null, n: PER_WAREHOUSE }]);

    // One history row per item claimed, by the person who asked.
    const history = await sql<{ n: string }>`
      select count(*) as n from exception_history h join exception_items e on e.id = h.exception_id
      where e.warehouse = 'WH-A' and h.to_status = 'claimed' and h.actor_id = ${h.userId.ops_lead}`.execute(
      pgStore.store.db,
    );
    expect(Number(history.rows[0].n)).toBe(PER_WAREHOUSE - 10);
    // Every open browser hears of each item, in parts.
    expect(deltas.flatMap((d) => d.upserted.map((i) => i.id)).sort()).toEqual(ids['WH-A'].slice(10).sort());
  });

  it('snoozes and resolves by view with its filters (severity here)', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await step(snoozeRoute, 'ops_lead', {
      matching: { queue: 'order_holds', warehouse: 'WH-B', severity: 'high' },
      until,
    });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body).toMatchObject({ matched: PER_WAREHOUSE / 2, snoozed: PER_WAREHOUSE / 2, skipped: [] });

    const resolved = await step(resolveRoute, 'ops_lead', {
      matching: { queue: 'order_holds', warehouse: 'WH-B', status: 'open' },
      note: 'bulk',
    });
    expect(resolved.body).toMatchObject({ matched: PER_WAREHOUSE / 2, resolved: PER_WAREHOUSE / 2, skipped: [] });
    expect(await statuses('WH-B')).toEqual([
      { status: 'resolved', assigneeId: null, n: PER_WAREHOUSE / 2 },
      { status: 'snoozed', assigneeId: h.userId.ops_lead, n: PER_WAREHOUSE / 2 },
    ]);
  });

  it('is refused to roles that cannot act, and to a request naming both ids and a view', async () => {
    for (const who of ['executive', 'analyst'] as const) {
      expect((await step(claimRoute, who, { matching: { queue: 'order_holds' } })).status).toBe(403);
    }
    expect(
      (await step(claimRoute, 'ops_lead', { ids: [ids['WH-B'][0]], matching: { queue: 'order_holds' } })).status,
    ).toBe(400);
    expect((await step(claimRoute, 'ops_lead', { matching: { warehouse: 'WH-B' } })).status).toBe(400);
  });
});
