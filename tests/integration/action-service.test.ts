import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionNames, type ActionName, type ActionRequest } from '@/lib/actions/action-requests';
import { ActionError } from '@/lib/actions/action-errors';
import { createActionService, type Actor } from '@/lib/actions/action-service';
import { migrateActions } from '@/lib/actions/action-tables';
import { listAudit } from '@/lib/actions/audit-log';
import { setRefundApprovalThreshold } from '@/lib/actions/refund-approval-threshold';
import type { ConnectorHealth } from '@/lib/connectors/connector-health';
import { openSandboxCore, type SandboxCore, type SandboxEvent } from '@/lib/core/sandbox/sandbox-core';
import { CoreRefusal } from '@/lib/core/transactional-core';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';

// The action service on real PostgreSQL, in a schema of its own, against a backfilled sandbox core.
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const NOW = Date.parse('2026-05-20T12:00:00Z');
const schema = `actions_test_${randomUUID().replace(/-/g, '')}`;
let store: TransactionalStore;
let core: SandboxCore;
const emitted: SandboxEvent[] = [];

const actor = (role: string, id = role, canApproveRefunds = false): Actor => ({ userId: `u-${id}`, name: `Demo ${id}`, role, canApproveRefunds });
const opsLead = actor('ops_lead', 'lead');
const secondLead = actor('ops_lead', 'lead2');
const approver = actor('ops_lead', 'approver', true);
const req = (action: ActionName, payload: Record<string, unknown>, key = randomUUID()): ActionRequest => ({ action, payload, idempotencyKey: key });
const service = () => createActionService({ db: store.db, core: () => core.actions });

async function failure(p: Promise<unknown>): Promise<ActionError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ActionError) return err;
    throw err;
  }
  throw new Error('expected the action to be refused');
}

async function requestedRefunds(): Promise<{ refund_id: string; amount: number }[]> {
  const { rows } = await sql<{ refund_id: string; amount: string }>`select refund_id, amount from sandbox_refunds where status = 'requested' order by amount desc`.execute(store.db);
  return rows.map((r) => ({ refund_id: r.refund_id, amount: Number(r.amount) }));
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  store = await openTransactionalStore({ databaseUrl: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`, dataDir: os.tmpdir() });
  await migrateActions(store.db);
  core = await openSandboxCore({ db: store.db, seed: 21, now: () => new Date(NOW), emit: async (batch) => void emitted.push(...batch) });
  await core.backfill(2, 3);
});

afterAll(async () => {
  await core.stop();
  await store.close();
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema ${schema} cascade`);
  await c.end();
});

describe('action service on PostgreSQL', () => {
  it('lets ops leads and admins act, and tells executives and analysts why they cannot', async () => {
    const payloads: Record<ActionName, Record<string, unknown>> = {
      release_hold: { orderId: 'SO-nope' },
      cancel_order: { orderId: 'SO-nope', reason: 'customer asked' },
      reallocate_order: { orderId: 'SO-nope', warehouse: 'WH-WEST' },
      expedite_order: { orderId: 'SO-nope' },
      split_shipment: { orderId: 'SO-nope' },
      approve_refund: { refundId: 'RF-nope' },
      reject_refund: { refundId: 'RF-nope', reason: 'not eligible' },
      set_return_disposition: { returnId: 'RMA-nope', lines: [{ sku: 'X', qty: 1, disposition: 'restock' }] },
      post_stock_count: { warehouse: 'WH-NOPE', sku: 'X', countedQty: 1 },
      create_replenishment_po: { warehouse: 'WH-NOPE', sku: 'X', qty: 6 },
    };
    for (const role of ['executive', 'analyst', 'ops_lead', 'admin']) {
      for (const action of actionNames) {
        const err = await failure(service().performAction({ actor: actor(role), request: req(action, payloads[action]) }));
        if (role === 'executive' || role === 'analyst') {
          expect(err.status, `${role} ${action}`).toBe(403);
          expect(err.message).toContain('can watch but not act');
        } else {
          // Allowed: the request reached the core, which refuses the made-up entity by name.
          expect([400, 404], `${role} ${action}: ${err.message}`).toContain(err.status);
          expect(err.message).toMatch(/nope|NOPE/);
        }
      }
    }
    const forbidden = await listAudit(store.db, { actor: 'u-executive', pageSize: 200 });
    expect(forbidden.rows).toHaveLength(actionNames.length);
    expect(forbidden.rows.every((r) => r.outcome === 'forbidden')).toBe(true);
  });

  it('refuses a bad payload with the field that is wrong', async () => {
    const err = await failure(service().performAction({ actor: opsLead, request: req('post_stock_count', { warehouse: 'WH-EAST', sku: 'X', countedQty: -1 }) }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('payload.countedQty');
  });

  it('50 parallel identical approvals under one key make one refund, and all 50 get the same answer', async () => {
    await setRefundApprovalThreshold(store.db, 100_000, 'test');
    const [refund] = await requestedRefunds();
    const before = emitted.length;
    const key = randomUUID();
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => service().performAction({ actor: opsLead, request: req('approve_refund', { refundId: refund.refund_id }, key) })));
    expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 'done', summary: expect.stringContaining(`Approved refund ${refund.refund_id}`) });
    const approvals = emitted.slice(before).filter((e) => e.type === 'refund.approved');
    expect(approvals.map((e) => e.data)).toEqual([{ refund_id: refund.refund_id, approver: opsLead.name }]);
    expect((await core.actions.describeRefund(refund.refund_id))?.status).toBe('approved');
    const audit = await listAudit(store.db, { entity: refund.refund_id });
    expect(audit.rows).toHaveLength(1);
  });

  it('50 parallel approvals of one refund under different keys: one effect, 49 clear refusals', async () => {
    const [, refund] = await requestedRefunds();
    const before = emitted.length;
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => service().performAction({ actor: opsLead, request: req('approve_refund', { refundId: refund.refund_id }) })));
    const done = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ActionError] : []));
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(49);
    expect(refused.every((e) => e.status === 409 && e.message === `Refund ${refund.refund_id} is not awaiting approval (it is approved)`)).toBe(true);
    expect(emitted.slice(before).filter((e) => e.type === 'refund.approved')).toHaveLength(1);
  });

  it('notes a core that breaks or cannot be reached as a connector error, and a business refusal as the core working', async () => {
    const noted: string[] = [];
    const health: ConnectorHealth = {
      failed: async (connector, operation, error) => void noted.push(`${connector} ${operation} failed: ${error instanceof Error ? error.message : String(error)}`),
      succeeded: async (connector, operation) => void noted.push(`${connector} ${operation} ok`),
    };
    let fault: Error | null = null;
    const flaky = {
      ...core.actions,
      releaseOrderHold: (...args: Parameters<typeof core.actions.releaseOrderHold>) => (fault ? Promise.reject(fault) : core.actions.releaseOrderHold(...args)),
    };
    const watched = createActionService({ db: store.db, core: () => flaky, health });
    const release = () => watched.performAction({ actor: opsLead, request: req('release_hold', { orderId: 'SO-0000001' }) });

    fault = new Error('socket hang up');
    await expect(release()).rejects.toThrow('socket hang up');
    fault = new CoreRefusal('unavailable', 'core is restarting');
    expect((await failure(release())).code).toBe('unavailable');
    fault = null;
    expect((await failure(release())).code).not.toBe('unavailable');
    expect(noted).toEqual(['sandbox release_hold failed: socket hang up', 'sandbox release_hold failed: core is restarting', 'sandbox release_hold ok']);
  });

  it('refuses the same key with a different payload, and replays a refusal for the same one', async () => {
    const key = randomUUID();
    const first = await failure(service().performAction({ actor: opsLead, request: req('release_hold', { orderId: 'SO-0000001' }, key) }));
    const again = await failure(service().performAction({ actor: opsLead, request: req('release_hold', { orderId: 'SO-0000001' }, key) }));
    expect(again.message).toBe(first.message);
    const other = await failure(service().performAction({ actor: opsLead, request: req('release_hold', { orderId: 'SO-0000002' }, key) }));
    expect(other.status).toBe(409);
    expect(other.code).toBe('idempotency_conflict');
    expect(other.message).toContain('different request');
    const otherActor = await failure(service().performAction({ actor: secondLead, request: req('release_hold', { orderId: 'SO-0000001' }, key) }));
    expect(otherActor.code).toBe('idempotency_conflict');
  });

  it('a refund above the threshold takes a second person with the approver right, never the requester', async () => {
    const refunds = await requestedRefunds();
    const refund = refunds[2];
    await setRefundApprovalThreshold(store.db, refund.amount - 0.01, 'test');
    const before = emitted.length;
    const first = await service().performAction({ actor: approver, request: req('approve_refund', { refundId: refund.refund_id }) });
    expect(first).toMatchObject({ status: 'awaiting_approval', summary: expect.stringContaining('approval requested') });
    expect((await core.actions.describeRefund(refund.refund_id))?.status).toBe('requested');

    const self = await failure(service().performAction({ actor: approver, request: req('approve_refund', { refundId: refund.refund_id }) }));
    expect(self.status).toBe(403);
    expect(self.message).toContain('You requested approval');
    const noRight = await failure(service().performAction({ actor: secondLead, request: req('approve_refund', { refundId: refund.refund_id }) }));
    expect(noRight.status).toBe(403);
    expect(noRight.message).toContain('approver right');
    expect(emitted.slice(before).filter((e) => e.type === 'refund.approved')).toHaveLength(0);

    const second = actor('admin', 'approver2', true);
    const done = await service().performAction({ actor: second, request: req('approve_refund', { refundId: refund.refund_id }) });
    expect(done).toMatchObject({ status: 'done', summary: expect.stringContaining(`approved by ${second.name}`) });
    expect(emitted.slice(before).filter((e) => e.type === 'refund.approved').map((e) => e.data)).toEqual([{ refund_id: refund.refund_id, approver: second.name }]);

    // Below the threshold one ops lead is enough.
    const small = refunds[refunds.length - 1];
    expect(await service().performAction({ actor: secondLead, request: req('approve_refund', { refundId: small.refund_id }) })).toMatchObject({ status: 'done' });
  });

  it('keeps audit rows: they cannot be updated, deleted or truncated', async () => {
    const { rows } = await listAudit(store.db, { pageSize: 1 });
    expect(rows).toHaveLength(1);
    await expect(sql`update action_audit set outcome = 'done' where id = ${rows[0].id}`.execute(store.db)).rejects.toThrow('append-only');
    await expect(sql`delete from action_audit where id = ${rows[0].id}`.execute(store.db)).rejects.toThrow('append-only');
    await expect(sql`truncate action_audit`.execute(store.db)).rejects.toThrow('append-only');
    expect((await listAudit(store.db, { pageSize: 1 })).rows[0]).toEqual(rows[0]);
  });
});
