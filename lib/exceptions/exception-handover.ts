import { sql, type Kysely } from 'kysely';
import type { ExceptionItem } from './exception-item';
import { toExceptionItem, type ExceptionRow } from './exception-row';
import { insertHistory } from './reconcile-conditions';
import type { ExceptionTables } from './workflow-schema';

export interface HandoverActor {
  id: string;
  name: string;
  /** Admins may hand over anyone's claim; everyone else only their own. */
  isAdmin: boolean;
}

export type Handover =
  | { kind: 'release' }
  | {
      kind: 'reassign';
      to: { id: string; name: string };
      /** The holder the requester saw: if someone else holds it by now, the handover is refused. */
      expectedAssigneeId?: string;
    };

export type HandoverRefusalReason = 'not_found' | 'resolved' | 'not_claimed' | 'not_yours' | 'already_theirs' | 'moved_on';

export interface HandoverRefusal {
  id: string;
  reason: HandoverRefusalReason;
  assigneeName: string | null;
  message: string;
}

export interface HandoverOutcome {
  done: ExceptionItem[];
  refused: HandoverRefusal[];
}

type Current = { id: string; status: string; assignee_id: string | null; assignee_name: string | null };

/**
 * Releases claims (back to open, unassigned) or hands them to another person. Like a claim, one
 * conditional UPDATE decides under the row lock: the item must still be claimed, by the actor
 * (or by anyone, for an admin), and by the holder the requester saw. A request that loses a race
 * is refused with who holds the item now, never applied to a state its sender did not see.
 */
export async function handOverExceptions(
  db: Kysely<object>,
  ids: readonly string[],
  actor: HandoverActor,
  handover: Handover,
  note: string | null = null,
  now: Date = new Date(),
): Promise<HandoverOutcome> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { done: [], refused: [] };
  const t = db.withTables<ExceptionTables>();
  return t.transaction().execute(async (trx) => {
    const mayTouch =
      handover.kind === 'release' || !actor.isAdmin ? sql`assignee_id = ${actor.id}` : sql`assignee_id is not null`;
    const extra =
      handover.kind === 'reassign'
        ? sql` and assignee_id <> ${handover.to.id}${handover.expectedAssigneeId ? sql` and assignee_id = ${handover.expectedAssigneeId}` : sql``}`
        : sql``;
    const set =
      handover.kind === 'release'
        ? sql`status = 'open', assignee_id = null, assignee_name = null`
        : sql`assignee_id = ${handover.to.id}, assignee_name = ${handover.to.name}`;
    const { rows } = await sql<ExceptionRow & { from_name: string | null }>`
      with target as (
        select id, assignee_name as from_name from exception_items
        where id in (${sql.join(unique)}) and status = 'claimed' and ${mayTouch}${extra}
        for update
      )
      update exception_items e set ${set}, updated_at = ${now}
      from target where e.id = target.id
      returning e.*, target.from_name`.execute(trx);
    await insertHistory(
      trx,
      rows.map((r) => ({
        exception_id: r.id,
        at: now,
        actor_id: actor.id,
        actor_name: actor.name,
        from_status: 'claimed',
        to_status: handover.kind === 'release' ? 'open' : 'claimed',
        note: [
          handover.kind === 'release'
            ? `claim of ${r.from_name ?? 'someone'} released`
            : `handed over from ${r.from_name ?? 'someone'} to ${handover.to.name}`,
          note,
        ]
          .filter(Boolean)
          .join(': '),
      })),
    );
    const doneIds = new Set(rows.map((r) => r.id));
    const missing = unique.filter((id) => !doneIds.has(id));
    const current = missing.length
      ? await trx
          .selectFrom('exception_items')
          .select(['id', 'status', 'assignee_id', 'assignee_name'])
          .where('id', 'in', missing)
          .execute()
      : [];
    const found = new Map(current.map((c) => [c.id, c]));
    return {
      done: rows.map(({ from_name: _from, ...row }) => toExceptionItem(row)),
      refused: missing.map((id) => whyRefused(id, found.get(id), actor, handover)),
    };
  });
}

function whyRefused(id: string, c: Current | undefined, actor: HandoverActor, h: Handover): HandoverRefusal {
  const refuse = (reason: HandoverRefusalReason, message: string): HandoverRefusal => ({
    id,
    reason,
    assigneeName: c?.assignee_name ?? null,
    message,
  });
  if (!c) return refuse('not_found', 'No exception has this id; refresh the queue.');
  if (c.status === 'resolved') return refuse('resolved', 'Already resolved; nothing left to hand over.');
  if (c.status !== 'claimed')
    return refuse('not_claimed', `It is ${c.status}, not claimed${h.kind === 'release' ? '; there is no claim to release' : '; claim it first'}.`);
  const holder = c.assignee_name ?? 'Someone else';
  if (h.kind === 'reassign' && c.assignee_id === h.to.id) return refuse('already_theirs', `${holder} already holds it.`);
  if (h.kind === 'reassign' && h.expectedAssigneeId && c.assignee_id !== h.expectedAssigneeId)
    return refuse('moved_on', `${holder} holds it now; look again before handing it over.`);
  if (h.kind === 'release') return refuse('not_yours', `${holder} holds it; only they can release it (an admin can reassign it).`);
  return refuse('not_yours', `${holder} holds it; only they${actor.isAdmin ? '' : ' or an admin'} can hand it over.`);
}
