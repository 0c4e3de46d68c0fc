import os from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExceptionEngine, type ExceptionEngine } from '@/analytics/exceptions/exception-engine';
import type { ExceptionRule } from '@/analytics/exceptions/exception-rule';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import type { ExceptionsDelta, LiveBus } from '@/lib/bus/live-bus';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';
import type { Severity } from '@/lib/exceptions/exception-item';
import { readExceptionPage } from '@/lib/exceptions/list-exceptions';
import type { RaisedCondition } from '@/lib/exceptions/raised-condition';
import { RULES } from '@/lib/exceptions/rule-catalogue';
import { escalateSlaBreaches } from '@/lib/exceptions/sla-breaches';
import { migrateExceptionWorkflow } from '@/lib/exceptions/workflow-schema';
import { openPgSchemaStore } from '../support/pg-schema';
import { noAnalytics } from '../support/no-analytics';

// The engine on PostgreSQL with a fake clock. The rule reports what the test says holds, so the
// case is about escalation alone; it never queries ClickHouse, and the gateway refuses if it did.
const MINUTE = 60_000;
const T0 = Date.parse('2026-05-20T12:00:00Z');
const SLA = RULES.order_on_hold.defaults.slaMinutes * MINUTE;
let clock = T0;
let holding: RaisedCondition[] = [];
let pg: Awaited<ReturnType<typeof openPgSchemaStore>>;
let bus: LiveBus;
let engine: ExceptionEngine;
const deltas: ExceptionsDelta[] = [];

const hold = (order: string, severity: Severity): RaisedCondition => ({
  queue: 'order_holds',
  rule: 'order_on_hold',
  dedupeKey: `hold:${order}`,
  severity,
  summary: `${order} on payment hold`,
  valueAtRisk: 100,
  currency: 'USD',
  entities: [{ kind: 'order', id: order }],
  warehouse: 'WH-EAST',
  channel: 'web',
  beganAt: new Date(T0).toISOString(),
});
const heldOrders: ExceptionRule = {
  name: 'order_on_hold',
  triggers: [],
  byOrder: false,
  timed: true,
  evaluate: async () => holding,
};

async function item(order: string) {
  const { rows } = await sql<{
    id: string;
    severity: string;
    severity_rank: number;
    escalated_from: string | null;
    breached_at: Date | null;
  }>`
    select id, severity, severity_rank, escalated_from, breached_at from exception_items where dedupe_key = ${`hold:${order}`}`.execute(
    pg.store.db,
  );
  return rows[0];
}
async function breachNotes(id: string) {
  const { rows } = await sql<{
    note: string;
  }>`select note from exception_history where exception_id = ${id} and note like 'SLA breached%'`.execute(pg.store.db);
  return rows.map((r) => r.note);
}

beforeAll(async () => {
  pg = await openPgSchemaStore('sla_breach');
  await migrateExceptionWorkflow(pg.store.db);
  bus = createInProcessBus();
  await bus.subscribe('exceptions', (d) => deltas.push(d));
  engine = await startExceptionEngine({
    analytics: noAnalytics,
    db: pg.store.db,
    bus,
    tickMs: 3_600_000,
    now: () => new Date(clock),
    rules: [heldOrders],
  });
});
afterAll(async () => {
  await engine?.close();
  await bus?.close();
  await pg?.drop();
});

describe('SLA breach escalation', () => {
  it('escalates an item once when its SLA passes unresolved: one step up, original kept, history, pushed, filterable', async () => {
    holding = [hold('SO-1', 'medium'), hold('SO-2', 'critical')];
    await engine.sweep();
    expect((await item('SO-1'))?.breached_at).toBeNull();

    clock = T0 + SLA - MINUTE;
    await engine.sweep();
    expect((await item('SO-1'))?.breached_at).toBeNull();

    clock = T0 + SLA + MINUTE;
    deltas.length = 0;
    await engine.sweep();
    const so1 = await item('SO-1');
    expect(so1).toMatchObject({ severity: 'high', severity_rank: 1, escalated_from: 'medium' });
    expect(so1?.breached_at?.getTime()).toBe(clock);
    expect(await item('SO-2')).toMatchObject({ severity: 'critical', escalated_from: 'critical' });
    expect(await breachNotes(so1!.id)).toEqual(['SLA breached: severity raised from medium to high']);
    const pushed = deltas.flatMap((d) => d.upserted).find((i) => i.id === so1!.id);
    expect(pushed).toMatchObject({
      severity: 'high',
      escalatedFrom: 'medium',
      breachedAt: new Date(clock).toISOString(),
    });

    // The rule still says medium: the item stays escalated, and nothing happens twice.
    clock += 10 * MINUTE;
    await engine.sweep();
    expect(await item('SO-1')).toMatchObject({ severity: 'high', escalated_from: 'medium' });
    expect(await breachNotes(so1!.id)).toHaveLength(1);
    // The rule raises its own severity: the item stays one step above it.
    holding = [hold('SO-1', 'high'), hold('SO-2', 'critical')];
    await engine.sweep();
    expect(await item('SO-1')).toMatchObject({ severity: 'critical', severity_rank: 0, escalated_from: 'high' });

    holding = [hold('SO-1', 'high'), hold('SO-2', 'critical'), hold('SO-3', 'low')];
    await engine.sweep();
    const page = await readExceptionPage(pg.store.db, {
      queue: 'order_holds',
      status: 'unresolved',
      breached: 'yes',
      sort: 'sla',
      dir: 'asc',
      limit: 50,
    });
    expect(page.items.map((i) => i.dedupeKey).sort()).toEqual(['hold:SO-1', 'hold:SO-2']);
    const within = await readExceptionPage(pg.store.db, {
      queue: 'order_holds',
      status: 'unresolved',
      breached: 'no',
      sort: 'sla',
      dir: 'asc',
      limit: 50,
    });
    expect(within.items.map((i) => i.dedupeKey)).toEqual(['hold:SO-3']);
  });

  it('escalates each item exactly once when two schedulers race', async () => {
    holding = Array.from({ length: 40 }, (_, i) => hold(`RACE-${i}`, 'low'));
    clock += MINUTE;
    await engine.sweep();
    const other: TransactionalStore = await openTransactionalStore({ databaseUrl: pg.url, dataDir: os.tmpdir() });
    try {
      const due = new Date(clock + SLA + MINUTE);
      const [a, b] = await Promise.all([escalateSlaBreaches(pg.store.db, due), escalateSlaBreaches(other.db, due)]);
      const raced = [...a, ...b].filter((i) => i.dedupeKey.startsWith('hold:RACE-'));
      expect(raced).toHaveLength(40);
      expect(new Set(raced.map((i) => i.id)).size).toBe(40);
      expect(raced.every((i) => i.severity === 'medium' && i.escalatedFrom === 'low')).toBe(true);
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from exception_history h join exception_items e on e.id = h.exception_id
        where e.dedupe_key like 'hold:RACE-%' and h.note like 'SLA breached%'`.execute(pg.store.db);
      expect(rows[0]?.n).toBe(40);
    } finally {
      await other.close();
    }
  });
});
