import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';
import { transitionExceptions, wakeSnoozedExceptions } from '@/lib/exceptions/exception-transitions';
import { addExceptionComment, getExceptionDetail } from '@/lib/exceptions/exception-queries';
import type { RaisedCondition } from '@/lib/exceptions/raised-condition';
import { reconcileConditions } from '@/lib/exceptions/reconcile-conditions';
import { readRuleSettings, saveRuleSettings, UnknownThresholdError } from '@/lib/exceptions/rule-settings-store';
import { migrateExceptionWorkflow } from '@/lib/exceptions/workflow-schema';
import { openPgSchemaStore } from '../support/pg-schema';

const NOW = new Date('2026-05-20T12:00:00Z');
const MIN = 60_000;
let pgStore: Awaited<ReturnType<typeof openPgSchemaStore>>;
let store: TransactionalStore;
let second: TransactionalStore;
const alice = { id: 'u-alice', name: 'Alice Ops' };
const bob = { id: 'u-bob', name: 'Bob Ops' };

const hold = (order: string, value = 120, severity: RaisedCondition['severity'] = 'high'): RaisedCondition => ({
  queue: 'order_holds',
  rule: 'order_on_hold',
  dedupeKey: `hold:${order}`,
  severity,
  summary: `Order ${order} on hold (fraud review)`,
  valueAtRisk: value,
  currency: 'USD',
  entities: [{ kind: 'order', id: order }],
  warehouse: 'east',
  channel: 'web',
  beganAt: '2026-05-20T10:00:00.000Z',
});

beforeAll(async () => {
  pgStore = await openPgSchemaStore('exc_workflow');
  store = pgStore.store;
  await migrateExceptionWorkflow(store.db);
  // A second pool on the same schema: two web processes claiming at once.
  second = await openTransactionalStore({ databaseUrl: pgStore.url, dataDir: os.tmpdir() });
});
afterAll(async () => {
  await second?.close();
  await pgStore?.drop();
});

describe('exception workflow store on PostgreSQL', () => {
  it('opens one item per cause, updates it, and resolves it itself when the cause clears', async () => {
    const scope = { rule: 'order_on_hold' };
    const first = await reconcileConditions(store.db, scope, [hold('SO-1'), hold('SO-2')], {
      now: NOW,
      slaMinutes: 120,
    });
    expect(first.upserted.map((i) => i.dedupeKey).sort()).toEqual(['hold:SO-1', 'hold:SO-2']);
    expect(first.upserted[0].slaDueAt).toBe(new Date(NOW.getTime() + 120 * MIN).toISOString());
    for (let tick = 0; tick < 5; tick++) {
      const again = await reconcileConditions(store.db, scope, [hold('SO-1'), hold('SO-2')], {
        now: NOW,
        slaMinutes: 120,
      });
      expect(again.upserted).toEqual([]);
    }
    const bigger = await reconcileConditions(store.db, scope, [hold('SO-1', 2_000, 'critical'), hold('SO-2')], {
      now: NOW,
      slaMinutes: 120,
    });
    expect(bigger.upserted).toHaveLength(1);
    expect(bigger.upserted[0]).toMatchObject({
      dedupeKey: 'hold:SO-1',
      severity: 'critical',
      valueAtRisk: 2_000,
      status: 'open',
    });

    // Only SO-2 was touched by this flush: SO-1 is not judged.
    const scoped = await reconcileConditions(store.db, { rule: 'order_on_hold', orderIds: ['SO-2'] }, [], {
      now: NOW,
      slaMinutes: 120,
    });
    expect(scoped.resolved.map((i) => i.dedupeKey)).toEqual(['hold:SO-2']);
    expect(scoped.resolved[0]).toMatchObject({ status: 'resolved', resolution: 'auto' });
    const detail = await getExceptionDetail(store.db, scoped.resolved[0].id);
    expect(detail?.history.map((h) => `${h.actorName}:${h.fromStatus}->${h.toStatus}`)).toEqual([
      'system:null->open',
      'system:open->resolved',
    ]);

    // The same cause coming back later is a new item.
    const back = await reconcileConditions(store.db, scope, [hold('SO-1', 2_000, 'critical'), hold('SO-2')], {
      now: NOW,
      slaMinutes: 120,
    });
    expect(back.upserted.map((i) => i.dedupeKey)).toEqual(['hold:SO-2']);
    expect(back.upserted[0].id).not.toBe(scoped.resolved[0].id);
  });

  it('of two leads claiming one item at once, one wins and the other learns who has it', async () => {
    const { upserted } = await reconcileConditions(
      store.db,
      { rule: 'race' },
      [{ ...hold('SO-RACE'), rule: 'race', dedupeKey: 'race:1' }],
      { now: NOW, slaMinutes: 60 },
    );
    const id = upserted[0].id;
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        transitionExceptions(store.db, [id], alice, { kind: 'claim' }, null, NOW),
        transitionExceptions(second.db, [id], bob, { kind: 'claim' }, null, NOW),
      ]);
      if (round === 0) {
        const winner = a.done.length ? alice : bob;
        const loser = a.done.length ? b : a;
        expect(a.done.length + b.done.length).toBe(1);
        expect(loser.refused).toEqual([
          {
            id,
            reason: 'assigned_to_someone_else',
            assigneeName: winner.name,
            message: expect.stringContaining(winner.name),
          },
        ]);
        const detail = await getExceptionDetail(store.db, id);
        expect(detail?.item).toMatchObject({ status: 'claimed', assigneeId: winner.id, assigneeName: winner.name });
        expect(detail?.history.filter((h) => h.toStatus === 'claimed')).toHaveLength(1);
      } else {
        // Later rounds: the holder re-claiming is fine, the other is refused every time.
        expect(a.done.length + b.done.length).toBe(1);
      }
    }
  });

  it('bulk claim, snooze and resolve answer per id; a snooze wakes when it ends', async () => {
    const conditions = ['B1', 'B2', 'B3', 'B4'].map((o) => ({ ...hold(o), rule: 'bulk', dedupeKey: `bulk:${o}` }));
    const { upserted } = await reconcileConditions(store.db, { rule: 'bulk' }, conditions, {
      now: NOW,
      slaMinutes: 60,
    });
    const [b1, b2, b3, b4] = ['B1', 'B2', 'B3', 'B4'].map((o) => upserted.find((i) => i.dedupeKey === `bulk:${o}`)!.id);
    await transitionExceptions(store.db, [b1], bob, { kind: 'claim' }, null, NOW);
    const claim = await transitionExceptions(store.db, [b1, b2, b3, 'no-such-id'], alice, { kind: 'claim' }, null, NOW);
    expect(claim.done.map((i) => i.id).sort()).toEqual([b2, b3].sort());
    expect(claim.refused).toEqual([
      expect.objectContaining({ id: b1, reason: 'assigned_to_someone_else', assigneeName: 'Bob Ops' }),
      expect.objectContaining({ id: 'no-such-id', reason: 'not_found' }),
    ]);

    const until = new Date(NOW.getTime() + 30 * MIN);
    const snooze = await transitionExceptions(
      store.db,
      [b2, b4],
      alice,
      { kind: 'snooze', until },
      'waiting on the bank',
      NOW,
    );
    expect(snooze.done.map((i) => [i.id, i.status, i.snoozedUntil])).toEqual(
      expect.arrayContaining([
        [b2, 'snoozed', until.toISOString()],
        [b4, 'snoozed', until.toISOString()],
      ]),
    );
    expect(await wakeSnoozedExceptions(store.db, new Date(until.getTime() - 1))).toEqual([]);
    const woken = await wakeSnoozedExceptions(store.db, until);
    expect(woken.map((i) => [i.id, i.status, i.snoozedUntil]).sort()).toEqual(
      [
        [b2, 'claimed', null],
        [b4, 'claimed', null],
      ].sort(),
    );

    const resolve = await transitionExceptions(
      store.db,
      [b2, b3],
      alice,
      { kind: 'resolve' },
      'called the customer',
      NOW,
    );
    expect(resolve.done.every((i) => i.status === 'resolved' && i.resolution === 'manual')).toBe(true);
    const again = await transitionExceptions(store.db, [b2], alice, { kind: 'resolve' }, null, NOW);
    expect(again.refused[0]).toMatchObject({ id: b2, reason: 'resolved' });

    // A person's resolution stands while the cause persists; the engine does not reopen it.
    const tick = await reconcileConditions(store.db, { rule: 'bulk' }, conditions, { now: NOW, slaMinutes: 60 });
    expect(tick.upserted).toEqual([]);

    await addExceptionComment(store.db, b2, alice, 'Customer confirmed the address.', NOW);
    const detail = await getExceptionDetail(store.db, b2);
    expect(detail?.comments.map((c) => [c.authorName, c.body])).toEqual([
      ['Alice Ops', 'Customer confirmed the address.'],
    ]);
    expect(detail?.history.map((h) => `${h.actorName}:${h.fromStatus}->${h.toStatus}`)).toEqual([
      'system:null->open',
      'Alice Ops:open->claimed',
      'Alice Ops:claimed->snoozed',
      'system:snoozed->claimed',
      'Alice Ops:claimed->resolved',
    ]);
    expect(detail?.history[2].note).toContain('waiting on the bank');
  });

  it('admin settings override the defaults per rule and refuse unknown thresholds', async () => {
    const before = await readRuleSettings(store.db);
    expect(before.return_awaiting_inspection.thresholds.maxHours).toBe(48);
    await saveRuleSettings(
      store.db,
      'return_awaiting_inspection',
      { enabled: true, slaMinutes: 90, thresholds: { maxHours: 12 } },
      'admin-1',
    );
    const after = await readRuleSettings(store.db);
    expect(after.return_awaiting_inspection).toEqual({ enabled: true, slaMinutes: 90, thresholds: { maxHours: 12 } });
    expect(after.order_on_hold).toEqual(before.order_on_hold);
    await expect(
      saveRuleSettings(store.db, 'short_pick', { enabled: true, slaMinutes: 5, thresholds: { bogus: 1 } }, 'admin-1'),
    ).rejects.toBeInstanceOf(UnknownThresholdError);
  });
});
