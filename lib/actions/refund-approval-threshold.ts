import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ActionTables } from './action-tables';

/** Refunds above this amount need a second person with the approver right. Admins change it. */
export const DEFAULT_REFUND_APPROVAL_THRESHOLD = 500;
const KEY = 'refund_approval_threshold';
const amount = z.coerce.number().finite().min(0);

export async function getRefundApprovalThreshold(db: Kysely<object>): Promise<number> {
  const row = await db.withTables<ActionTables>().selectFrom('action_settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const parsed = amount.safeParse(row?.value);
  return row && parsed.success ? parsed.data : DEFAULT_REFUND_APPROVAL_THRESHOLD;
}

export async function setRefundApprovalThreshold(db: Kysely<object>, value: number, by: string): Promise<void> {
  const checked = amount.parse(value);
  await db
    .withTables<ActionTables>()
    .insertInto('action_settings')
    .values({ key: KEY, value: JSON.stringify(checked), updated_by: by })
    .onConflict((c) => c.column('key').doUpdateSet({ value: JSON.stringify(checked), updated_by: by, updated_at: new Date() }))
    .execute();
}
