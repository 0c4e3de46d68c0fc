import type { Kysely } from 'kysely';
import type { ActionTables } from './action-tables';

/** The `approver` right: a second signature on refunds above the threshold. Admins grant it per user. */
const APPROVER = 'approver';

export async function hasApproverRight(db: Kysely<object>, userId: string): Promise<boolean> {
  const row = await db.withTables<ActionTables>().selectFrom('user_rights').select('user_id').where('user_id', '=', userId).where('right', '=', APPROVER).executeTakeFirst();
  return row !== undefined;
}

export async function setApproverRight(db: Kysely<object>, o: { userId: string; granted: boolean; by: string | null }): Promise<void> {
  const t = db.withTables<ActionTables>();
  if (!o.granted) {
    await t.deleteFrom('user_rights').where('user_id', '=', o.userId).where('right', '=', APPROVER).execute();
    return;
  }
  await t
    .insertInto('user_rights')
    .values({ user_id: o.userId, right: APPROVER, granted_by: o.by })
    .onConflict((c) => c.columns(['user_id', 'right']).doNothing())
    .execute();
}
