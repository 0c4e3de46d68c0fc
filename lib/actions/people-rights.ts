import type { Kysely } from 'kysely';
import { findPerson, listPeople, type Person } from '../auth/people';
import { canActOnExceptions } from '../auth/roles';
import type { ActionTables } from './action-tables';
import { recordAdminChange } from './admin-changes';
import { ActionError } from './action-errors';
import { hasApproverRight, setApproverRight } from './approver-rights';
import { getRefundApprovalThreshold, setRefundApprovalThreshold } from './refund-approval-threshold';

export interface PersonWithRights extends Person {
  approver: boolean;
}

type Admin = { userId: string; name: string; role: string };

/** Everyone who can sign in, with the approver right where they hold it. */
export async function listPeopleWithRights(db: Kysely<object>): Promise<PersonWithRights[]> {
  const [people, approvers] = await Promise.all([
    listPeople(db),
    db.withTables<ActionTables>().selectFrom('user_rights').select('user_id').where('right', '=', 'approver').execute(),
  ]);
  const holders = new Set(approvers.map((a) => a.user_id));
  return people.map((p) => ({ ...p, approver: holders.has(p.id) }));
}

/**
 * Grants or withdraws the approver right and records it in the audit log. Only people who act
 * (ops leads, admins) can approve anything, so only they may hold it.
 */
export async function changeApproverRight(db: Kysely<object>, admin: Admin, o: { userId: string; approver: boolean }): Promise<PersonWithRights> {
  const person = await findPerson(db, o.userId);
  if (!person) throw new ActionError('not_found', `No user has the id ${o.userId}; reload the list of people.`);
  if (o.approver && !canActOnExceptions(person.role)) {
    throw new ActionError(
      'invalid_state',
      `${person.name} is ${person.role === 'executive' ? 'an executive' : 'an analyst'} and cannot act, so the approver right would do nothing; change the role first.`,
    );
  }
  const before = await hasApproverRight(db, person.id);
  if (before !== o.approver) {
    await setApproverRight(db, { userId: person.id, granted: o.approver, by: admin.userId });
    await recordAdminChange(db, {
      admin,
      change: o.approver ? 'grant_approver' : 'withdraw_approver',
      entity: { type: 'user', id: person.id },
      request: { userId: person.id, approver: o.approver },
      before: { approver: before },
      after: { approver: o.approver },
      message: o.approver
        ? `${person.name} (${person.email}) may now approve refunds above the threshold.`
        : `${person.name} (${person.email}) no longer approves refunds above the threshold.`,
    });
  }
  return { ...person, approver: o.approver };
}

/** Sets the amount above which a refund takes a second person, and records the change. */
export async function changeRefundThreshold(db: Kysely<object>, admin: Admin, threshold: number): Promise<number> {
  const before = await getRefundApprovalThreshold(db);
  await setRefundApprovalThreshold(db, threshold, admin.userId);
  if (before !== threshold) {
    await recordAdminChange(db, {
      admin,
      change: 'set_refund_threshold',
      entity: { type: 'setting', id: 'refund_approval_threshold' },
      request: { threshold },
      before: { threshold: before },
      after: { threshold },
      message: `Refunds above ${threshold.toFixed(2)} now need a second person with the approver right (was ${before.toFixed(2)}).`,
    });
  }
  return threshold;
}
