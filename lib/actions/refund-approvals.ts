import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { ActionTables } from './action-tables';

/**
 * A refund above the threshold needs two people: the first "approve" records a request, and only
 * a different user holding the approver right completes it. At most one request per refund is open.
 */
const requestRow = z.object({ id: z.coerce.string(), requested_by: z.string(), requested_by_name: z.string(), amount: z.coerce.number() });
export type ApprovalRequest = z.infer<typeof requestRow>;

export async function openApprovalRequest(db: Kysely<object>, refundId: string): Promise<ApprovalRequest | null> {
  const row = await db
    .withTables<ActionTables>()
    .selectFrom('refund_approval_requests')
    .select(['id', 'requested_by', 'requested_by_name', 'amount'])
    .where('refund_id', '=', refundId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row ? requestRow.parse(row) : null;
}

/** Opens the request, or returns null when another one is already open (a concurrent first click). */
export async function requestApproval(db: Kysely<object>, o: { refundId: string; amount: number; userId: string; name: string }): Promise<ApprovalRequest | null> {
  const { rows } = await sql<{ id: string }>`insert into refund_approval_requests (refund_id, amount, status, requested_by, requested_by_name)
    values (${o.refundId}, ${o.amount}, 'pending', ${o.userId}, ${o.name})
    on conflict (refund_id) where status = 'pending' do nothing
    returning id`.execute(db);
  const id = rows[0]?.id;
  return id === undefined ? null : { id: String(id), requested_by: o.userId, requested_by_name: o.name, amount: o.amount };
}

export async function closeApprovalRequest(db: Kysely<object>, o: { refundId: string; status: 'approved' | 'rejected' | 'void'; by: string }): Promise<void> {
  await db
    .withTables<ActionTables>()
    .updateTable('refund_approval_requests')
    .set({ status: o.status, decided_by: o.by, decided_at: new Date() })
    .where('refund_id', '=', o.refundId)
    .where('status', '=', 'pending')
    .execute();
}
