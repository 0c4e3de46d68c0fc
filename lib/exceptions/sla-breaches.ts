import { sql, type Kysely } from 'kysely';
import type { ExceptionItem } from './exception-item';
import { toExceptionItem, type ExceptionRow } from './exception-row';
import { insertHistory } from './reconcile-conditions';
import type { ExceptionTables } from './workflow-schema';

/**
 * Escalates every unresolved item whose SLA deadline has passed and that is not escalated yet:
 * severity one step up (the rule's own kept in `escalated_from`), marked breached, a history
 * entry. The UPDATE's own condition (`breached_at is null`) makes it once per item: of two
 * schedulers racing, the second waits on the row lock, re-checks, and no longer matches.
 * Snoozed items are escalated too: a snooze hides an item, it does not stop its SLA.
 */
export async function escalateSlaBreaches(db: Kysely<object>, now: Date): Promise<ExceptionItem[]> {
  const t = db.withTables<ExceptionTables>();
  return t.transaction().execute(async (trx) => {
    const { rows } = await sql<ExceptionRow>`
      update exception_items
      set breached_at = ${now}, escalated_from = severity,
          severity = case severity when 'low' then 'medium' when 'medium' then 'high' else 'critical' end,
          severity_rank = greatest(severity_rank - 1, 0), updated_at = ${now}
      where status <> 'resolved' and breached_at is null and sla_due_at <= ${now}
      returning *`.execute(trx);
    await insertHistory(
      trx,
      rows.map((r) => ({
        exception_id: r.id,
        at: now,
        actor_id: null,
        actor_name: 'system',
        from_status: r.status,
        to_status: r.status,
        note: `SLA breached: severity raised from ${r.escalated_from ?? '?'} to ${r.severity}`,
      })),
    );
    return rows.map(toExceptionItem);
  });
}
