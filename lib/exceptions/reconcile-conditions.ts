import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { ExceptionItem } from './exception-item';
import { raisedSeverity, SEVERITY_RANK, toExceptionItem, type ExceptionRow } from './exception-row';
import type { RaisedCondition, ReconcileScope } from './raised-condition';
import type { ExceptionHistoryTable, ExceptionItemsTable, ExceptionTables } from './workflow-schema';

export interface ReconcileOutcome {
  /** Items opened or changed by this run. */
  upserted: ExceptionItem[];
  /** Items this run resolved because their condition cleared. */
  resolved: ExceptionItem[];
}

const CHUNK = 500;
const LIVE_COLUMNS = ['id', 'dedupe_key', 'status', 'severity', 'summary', 'value_at_risk', 'warehouse', 'channel', 'condition_active', 'breached_at', 'escalated_from'] as const;
type LiveRow = Pick<ExceptionRow, (typeof LIVE_COLUMNS)[number]>;
const SYSTEM = 'system';

/**
 * Makes the workflow store agree with what one rule reports now, within `scope`: a new cause
 * opens an item, a known one is updated (severity, value, summary), an item whose cause is no
 * longer reported resolves itself. A cause a person resolved by hand is not reopened while it
 * persists; once it clears and comes back, it opens a new item.
 */
export async function reconcileConditions(
  db: Kysely<object>,
  scope: ReconcileScope,
  raised: readonly RaisedCondition[],
  o: { now: Date; slaMinutes: number },
): Promise<ReconcileOutcome> {
  const t = db.withTables<ExceptionTables>();
  const byKey = new Map(raised.map((c) => [c.dedupeKey, c]));
  return t.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('exception_items')
      // Only what the comparison needs: a sweep reads every item of a rule (10,000 at times), and
      // the store is busy for everyone while it does.
      .select(LIVE_COLUMNS)
      .where('rule', '=', scope.rule)
      .where((w) => w.or([w('status', '<>', 'resolved'), w('condition_active', '=', true)]));
    if (scope.orderIds) {
      const orderIds = [...scope.orderIds];
      const keys = [...byKey.keys()];
      if (orderIds.length === 0 && keys.length === 0) return { upserted: [], resolved: [] };
      query = query.where((w) =>
        w.or([
          ...(orderIds.length ? [w('order_id', 'in', orderIds)] : []),
          ...(keys.length ? [w('dedupe_key', 'in', keys)] : []),
        ]),
      );
    }
    const live = await query.execute();
    const unresolved = new Map<string, LiveRow>();
    const standing = new Set<string>();
    for (const row of live) {
      if (row.status !== 'resolved') unresolved.set(row.dedupe_key, row);
      else standing.add(row.dedupe_key);
    }

    const fresh: Insertable<ExceptionItemsTable>[] = [];
    const changed: { id: string; c: RaisedCondition }[] = [];
    for (const c of raised) {
      const row = unresolved.get(c.dedupeKey);
      if (row) {
        if (differs(row, c)) changed.push({ id: row.id, c });
      } else if (!standing.has(c.dedupeKey)) {
        fresh.push(newRow(c, o.now, o.slaMinutes));
      }
    }
    const cleared = [...unresolved.values()].filter((row) => !byKey.has(row.dedupe_key));
    const calmed = live.filter((row) => row.status === 'resolved' && !byKey.has(row.dedupe_key)).map((row) => row.id);

    const upserted: ExceptionRow[] = [];
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const rows = await trx
        .insertInto('exception_items')
        .values(fresh.slice(i, i + CHUNK))
        // Another engine (or an earlier run) got there first: its item stands.
        .onConflict((oc) => oc.column('dedupe_key').where('status', '<>', 'resolved').doNothing())
        .returningAll()
        .execute();
      upserted.push(...rows);
      await insertHistory(
        trx,
        rows.map((r) => ({
          exception_id: r.id,
          at: o.now,
          actor_id: null,
          actor_name: SYSTEM,
          from_status: null,
          to_status: 'open',
          note: r.summary,
        })),
      );
    }
    for (const { id, c } of changed) {
      // A breached item stays one step above what the rule says now; decided on the row itself,
      // so an escalation committed since it was read is not undone.
      const raised = raisedSeverity(c.severity);
      const row = await trx
        .updateTable('exception_items')
        .set({
          severity: sql<string>`case when breached_at is null then ${c.severity}::text else ${raised}::text end`,
          escalated_from: sql<string | null>`case when breached_at is null then null else ${c.severity}::text end`,
          severity_rank: sql<number>`case when breached_at is null then ${SEVERITY_RANK[c.severity]}::smallint else ${SEVERITY_RANK[raised]}::smallint end`,
          summary: c.summary,
          value_at_risk: c.valueAtRisk,
          warehouse: c.warehouse,
          channel: c.channel,
          entities: JSON.stringify(c.entities),
          condition_active: true,
          updated_at: o.now,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (row) upserted.push(row);
    }
    const resolved: ExceptionRow[] = [];
    for (let i = 0; i < cleared.length; i += CHUNK) {
      const slice = cleared.slice(i, i + CHUNK);
      const rows = await trx
        .updateTable('exception_items')
        .set({
          status: 'resolved',
          resolution: 'auto',
          resolved_at: o.now,
          condition_active: false,
          snoozed_until: null,
          updated_at: o.now,
        })
        .where(
          'id',
          'in',
          slice.map((r) => r.id),
        )
        .where('status', '<>', 'resolved')
        .returningAll()
        .execute();
      resolved.push(...rows);
      const before = new Map(slice.map((r) => [r.id, r.status]));
      await insertHistory(
        trx,
        rows.map((r) => ({
          exception_id: r.id,
          at: o.now,
          actor_id: null,
          actor_name: SYSTEM,
          from_status: before.get(r.id) ?? null,
          to_status: 'resolved',
          note: 'condition cleared',
        })),
      );
    }
    for (let i = 0; i < calmed.length; i += CHUNK) {
      await trx
        .updateTable('exception_items')
        .set({ condition_active: false })
        .where('id', 'in', calmed.slice(i, i + CHUNK))
        .execute();
    }
    return { upserted: upserted.map(toExceptionItem), resolved: resolved.map(toExceptionItem) };
  });
}

function differs(row: LiveRow, c: RaisedCondition): boolean {
  const severity = row.breached_at ? raisedSeverity(c.severity) : c.severity;
  return (
    row.severity !== severity ||
    (row.breached_at !== null && row.escalated_from !== c.severity) ||
    row.summary !== c.summary ||
    Math.abs(Number(row.value_at_risk) - c.valueAtRisk) > 0.005 ||
    row.warehouse !== c.warehouse ||
    row.channel !== c.channel ||
    !row.condition_active
  );
}

function newRow(c: RaisedCondition, now: Date, slaMinutes: number): Insertable<ExceptionItemsTable> {
  const order = c.entities.find((e) => e.kind === 'order');
  return {
    id: randomUUID(),
    queue: c.queue,
    rule: c.rule,
    dedupe_key: c.dedupeKey,
    severity: c.severity,
    severity_rank: SEVERITY_RANK[c.severity],
    status: 'open',
    summary: c.summary,
    value_at_risk: c.valueAtRisk,
    currency: c.currency,
    entities: JSON.stringify(c.entities),
    order_id: order?.id ?? null,
    warehouse: c.warehouse,
    channel: c.channel,
    began_at: c.beganAt,
    opened_at: now,
    sla_due_at: new Date(now.getTime() + slaMinutes * 60_000),
    assignee_id: null,
    assignee_name: null,
    snoozed_until: null,
    resolved_at: null,
    resolution: null,
    condition_active: true,
    updated_at: now,
  };
}

export async function insertHistory(
  db: Kysely<ExceptionTables>,
  rows: Insertable<ExceptionHistoryTable>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('exception_history')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}
