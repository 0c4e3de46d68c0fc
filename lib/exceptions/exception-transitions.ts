import { sql, type Kysely } from 'kysely';
import type { ExceptionItem } from './exception-item';
import { toExceptionItem, type ExceptionRow } from './exception-row';
import { insertHistory } from './reconcile-conditions';
import type { ExceptionTables } from './workflow-schema';

export interface Actor {
  id: string;
  name: string;
}

export type TransitionRequest = { kind: 'claim' } | { kind: 'snooze'; until: Date } | { kind: 'resolve' };

export type RefusalReason = 'not_found' | 'resolved' | 'assigned_to_someone_else';

export interface Refusal {
  id: string;
  reason: RefusalReason;
  /** Who holds it, when someone else does. */
  assigneeName: string | null;
  message: string;
}

export interface TransitionOutcome {
  done: ExceptionItem[];
  refused: Refusal[];
}

/**
 * Claims, snoozes or resolves items for `actor`, each only if it is unresolved and either
 * unassigned or already the actor's. The conditional UPDATE decides: of two people claiming one
 * item at once, the row lock lets one update and re-checks the other's condition against the
 * winner's row, which no longer matches; the loser then reads who holds it.
 */
export async function transitionExceptions(
  db: Kysely<object>,
  ids: readonly string[],
  actor: Actor,
  request: TransitionRequest,
  note: string | null = null,
  now: Date = new Date(),
): Promise<TransitionOutcome> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { done: [], refused: [] };
  const t = db.withTables<ExceptionTables>();
  return t.transaction().execute(async (trx) => {
    const set =
      request.kind === 'claim'
        ? sql`status = 'claimed', assignee_id = ${actor.id}, assignee_name = ${actor.name}, snoozed_until = null`
        : request.kind === 'snooze'
          ? sql`status = 'snoozed', assignee_id = ${actor.id}, assignee_name = ${actor.name}, snoozed_until = ${request.until}`
          : sql`status = 'resolved', resolution = 'manual', resolved_at = ${now}, snoozed_until = null`;
    const { rows } = await sql<ExceptionRow & { from_status: string }>`
      with target as (
        select id, status as from_status from exception_items
        where id in (${sql.join(unique)}) and status <> 'resolved' and (assignee_id is null or assignee_id = ${actor.id})
        for update
      )
      update exception_items e set ${set}, updated_at = ${now}
      from target where e.id = target.id
      returning e.*, target.from_status`.execute(trx);
    const toStatus = request.kind === 'claim' ? 'claimed' : request.kind === 'snooze' ? 'snoozed' : 'resolved';
    await insertHistory(
      trx,
      rows.map((r) => ({
        exception_id: r.id,
        at: now,
        actor_id: actor.id,
        actor_name: actor.name,
        from_status: r.from_status,
        to_status: toStatus,
        note: request.kind === 'snooze' ? `until ${request.until.toISOString()}${note ? `: ${note}` : ''}` : note,
      })),
    );
    const doneIds = new Set(rows.map((r) => r.id));
    const missing = unique.filter((id) => !doneIds.has(id));
    const holders = missing.length
      ? await trx
          .selectFrom('exception_items')
          .select(['id', 'status', 'assignee_name'])
          .where('id', 'in', missing)
          .execute()
      : [];
    const found = new Map(holders.map((h) => [h.id, h]));
    const refused = missing.map((id): Refusal => {
      const h = found.get(id);
      if (!h)
        return { id, reason: 'not_found', assigneeName: null, message: 'No exception has this id; refresh the queue.' };
      if (h.status === 'resolved')
        return { id, reason: 'resolved', assigneeName: null, message: 'Already resolved; nothing left to do.' };
      return {
        id,
        reason: 'assigned_to_someone_else',
        assigneeName: h.assignee_name,
        message: `${h.assignee_name ?? 'Someone else'} has claimed it; ask them or pick another.`,
      };
    });
    return { done: rows.map(({ from_status: _from, ...row }) => toExceptionItem(row)), refused };
  });
}

/** Snoozed items whose snooze has ended become open again (or claimed, if someone holds them). */
export async function wakeSnoozedExceptions(db: Kysely<object>, now: Date = new Date()): Promise<ExceptionItem[]> {
  const t = db.withTables<ExceptionTables>();
  return t.transaction().execute(async (trx) => {
    const { rows } = await sql<ExceptionRow>`
      update exception_items
      set status = case when assignee_id is null then 'open' else 'claimed' end, snoozed_until = null, updated_at = ${now}
      where status = 'snoozed' and snoozed_until <= ${now}
      returning *`.execute(trx);
    await insertHistory(
      trx,
      rows.map((r) => ({
        exception_id: r.id,
        at: now,
        actor_id: null,
        actor_name: 'system',
        from_status: 'snoozed',
        to_status: r.status,
        note: 'snooze ended',
      })),
    );
    return rows.map(toExceptionItem);
  });
}
