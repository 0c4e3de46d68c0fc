import type { Kysely } from 'kysely';
import { appendAudit } from './audit-log';

/**
 * Settings an admin changes, recorded in the same append-only audit log as the actions: who,
 * when, on what, before and after. They never reach the core, so the core's answer stays empty.
 */
export const adminChangeNames = ['grant_approver', 'withdraw_approver', 'set_refund_threshold', 'set_exception_rule'] as const;
export type AdminChangeName = (typeof adminChangeNames)[number];

export const ADMIN_CHANGE_LABELS: Record<AdminChangeName, string> = {
  grant_approver: 'Grant approver right',
  withdraw_approver: 'Withdraw approver right',
  set_refund_threshold: 'Set refund approval threshold',
  set_exception_rule: 'Set exception rule',
};

export interface AdminChange {
  admin: { userId: string; name: string; role: string };
  change: AdminChangeName;
  entity: { type: string; id: string };
  /** What the admin asked for. */
  request: unknown;
  before: unknown;
  after: unknown;
  message: string;
}

export function recordAdminChange(db: Kysely<object>, c: AdminChange): Promise<string> {
  return appendAudit(db, {
    actor: c.admin,
    action: c.change,
    entity: c.entity,
    exceptionId: null,
    idempotencyKey: null,
    payload: c.request,
    before: c.before,
    after: c.after,
    answer: null,
    outcome: 'done',
    message: c.message,
  });
}
