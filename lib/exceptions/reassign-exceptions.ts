import type { Kysely } from 'kysely';
import { findPerson } from '../auth/people';
import { canActOnExceptions } from '../auth/roles';
import { handOverExceptions, type HandoverActor, type HandoverOutcome } from './exception-handover';

/** The person named to take the items cannot take them; the message says why. */
export class HandoverTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandoverTargetError';
  }
}

/** Hands claimed items to `toUserId`, who must be an active ops lead or admin. */
export async function reassignExceptions(
  db: Kysely<object>,
  ids: readonly string[],
  actor: HandoverActor,
  o: { toUserId: string; expectedAssigneeId?: string; note?: string },
): Promise<HandoverOutcome> {
  const to = await findPerson(db, o.toUserId);
  if (!to || to.banned) throw new HandoverTargetError(`No active user has the id ${o.toUserId}; pick someone from the list.`);
  if (!canActOnExceptions(to.role))
    throw new HandoverTargetError(`${to.name} cannot work exceptions (only ops leads and admins do); pick someone else.`);
  return handOverExceptions(
    db,
    ids,
    actor,
    { kind: 'reassign', to: { id: to.id, name: to.name }, expectedAssigneeId: o.expectedAssigneeId },
    o.note ?? null,
  );
}
