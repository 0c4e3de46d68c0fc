import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityRef } from '@/lib/exceptions/exception-item';
import { listExceptionsForEntity } from '@/lib/exceptions/exceptions-for-entity';
import type { RaisedCondition } from '@/lib/exceptions/raised-condition';
import { reconcileConditions } from '@/lib/exceptions/reconcile-conditions';
import { migrateExceptionWorkflow } from '@/lib/exceptions/workflow-schema';
import { openPgSchemaStore } from '../support/pg-schema';

const NOW = new Date('2026-03-10T12:00:00Z');
let pgStore: Awaited<ReturnType<typeof openPgSchemaStore>>;

const condition = (rule: string, key: string, entities: EntityRef[], minutesAgo: number): RaisedCondition => ({
  queue: 'order_holds',
  rule,
  dedupeKey: key,
  severity: 'high',
  summary: key,
  valueAtRisk: 10,
  currency: 'EUR',
  entities,
  warehouse: null,
  channel: null,
  beganAt: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
});

// Opened at different times, so the newest-first order is known.
const raised = [
  condition('hold', 'hold:SO-1', [{ kind: 'order', id: 'SO-1' }], 0),
  condition('refund', 'refund:RF-1', [{ kind: 'refund', id: 'RF-1' }, { kind: 'order', id: 'SO-1' }, { kind: 'return', id: 'RT-1' }], 0),
  condition('hold', 'hold:SO-10', [{ kind: 'order', id: 'SO-10' }], 0),
  condition('shortage', 'short:TEE', [{ kind: 'sku', id: 'SO-1' }], 0),
];

beforeAll(async () => {
  pgStore = await openPgSchemaStore('exc_entity');
  await migrateExceptionWorkflow(pgStore.store.db);
  const db = pgStore.store.db;
  for (const [i, c] of raised.entries()) {
    await reconcileConditions(db, { rule: c.rule, orderIds: [] }, [c], { now: new Date(NOW.getTime() + i * 60_000), slaMinutes: 60 });
  }
  // The hold on SO-1 clears: its item resolves itself but stays linked to the order.
  await reconcileConditions(db, { rule: 'hold', orderIds: ['SO-1'] }, [], { now: new Date(NOW.getTime() + 3_600_000), slaMinutes: 60 });
});
afterAll(async () => {
  await pgStore?.drop();
});

describe('exceptions of one entity', () => {
  it('lists open and resolved items that name the entity anywhere in their links, newest first', async () => {
    const db = pgStore.store.db;
    const ofOrder = await listExceptionsForEntity(db, { kind: 'order', id: 'SO-1' });
    const expected = raised
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.entities.some((e) => e.kind === 'order' && e.id === 'SO-1'))
      .sort((x, y) => y.i - x.i)
      .map(({ c }) => c.dedupeKey);
    expect(ofOrder.map((i) => i.dedupeKey)).toEqual(expected);
    expect(ofOrder.find((i) => i.dedupeKey === 'hold:SO-1')).toMatchObject({ status: 'resolved', resolution: 'auto' });
    expect((await listExceptionsForEntity(db, { kind: 'return', id: 'RT-1' })).map((i) => i.dedupeKey)).toEqual(['refund:RF-1']);
    expect((await listExceptionsForEntity(db, { kind: 'sku', id: 'SO-1' })).map((i) => i.dedupeKey)).toEqual(['short:TEE']);
    expect(await listExceptionsForEntity(db, { kind: 'order', id: 'SO-404' })).toEqual([]);
  });

  it('can answer from the GIN index on entities', async () => {
    // One transaction, so the setting and the plan are on the same connection of the pool.
    const rows = await pgStore.store.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const plan = await sql<{ 'QUERY PLAN': string }>`explain select id from exception_items where entities @> ${JSON.stringify([{ kind: 'order', id: 'SO-1' }])}::jsonb`.execute(trx);
      return plan.rows;
    });
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('exception_items_entities');
  });
});
