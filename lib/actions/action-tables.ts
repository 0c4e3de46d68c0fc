import { Migrator, sql, type Generated, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** The action service's own tables in the transactional store. */
type Timestamp = Date | string;

export type ActionIdempotencyTable = {
  key: string;
  request_hash: string;
  actor_id: string;
  action: string;
  state: 'running' | 'done';
  http_status: number | null;
  response: unknown;
  created_at: Generated<Timestamp>;
  completed_at: Timestamp | null;
};

export type ActionAuditTable = {
  id: Generated<string>;
  at: Generated<Timestamp>;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  action: string;
  entity_type: string;
  entity_id: string;
  exception_id: string | null;
  idempotency_key: string | null;
  payload: unknown;
  before: unknown;
  after: unknown;
  answer: unknown;
  outcome: string;
  message: string;
};

export type RefundApprovalRequestTable = {
  id: Generated<string>;
  refund_id: string;
  amount: number | string;
  status: 'pending' | 'approved' | 'rejected' | 'void';
  requested_by: string;
  requested_by_name: string;
  requested_at: Generated<Timestamp>;
  decided_by: string | null;
  decided_at: Timestamp | null;
};

export type ActionSettingTable = {
  key: string;
  value: unknown;
  updated_by: string | null;
  updated_at: Generated<Timestamp>;
};

export type UserRightTable = {
  user_id: string;
  right: string;
  granted_by: string | null;
  granted_at: Generated<Timestamp>;
};

export type ActionTables = {
  action_idempotency: ActionIdempotencyTable;
  action_audit: ActionAuditTable;
  refund_approval_requests: RefundApprovalRequestTable;
  action_settings: ActionSettingTable;
  user_rights: UserRightTable;
};

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = 'timestamptz' as const;
    await db.schema
      .createTable('action_idempotency')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('http_status', 'integer')
      .addColumn('response', 'jsonb')
      .addColumn('created_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('completed_at', ts)
      .execute();
    await db.schema
      .createTable('action_audit')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('at', ts, (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('exception_id', 'text')
      .addColumn('idempotency_key', 'text')
      .addColumn('payload', 'jsonb', (c) => c.notNull())
      .addColumn('before', 'jsonb')
      .addColumn('after', 'jsonb')
      .addColumn('answer', 'jsonb')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('action_audit_actor').on('action_audit').columns(['actor_id', 'id']).execute();
    await db.schema.createIndex('action_audit_entity').on('action_audit').columns(['entity_id', 'id']).execute();
    // Append-only: history that can be edited is not an audit log.
    await sql`create function action_audit_append_only() returns trigger language plpgsql as $$
      begin raise exception 'action_audit is append-only: audit rows cannot be changed or deleted'; end $$`.execute(db);
    await sql`create trigger action_audit_no_change before update or delete on action_audit for each row execute function action_audit_append_only()`.execute(db);
    await sql`create trigger action_audit_no_truncate before truncate on action_audit for each statement execute function action_audit_append_only()`.execute(db);
    await db.schema
      .createTable('refund_approval_requests')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('refund_id', 'text', (c) => c.notNull())
      .addColumn('amount', 'numeric(14, 4)', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_by_name', 'text', (c) => c.notNull())
      .addColumn('requested_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', ts)
      .execute();
    // One open request per refund: two first clicks cannot both become "the requester".
    await sql`create unique index refund_approval_one_pending on refund_approval_requests (refund_id) where status = 'pending'`.execute(db);
    await db.schema
      .createTable('action_settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'jsonb', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createTable('user_rights')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('right', 'text', (c) => c.notNull())
      .addColumn('granted_by', 'text')
      .addColumn('granted_at', ts, (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('user_rights_pk', ['user_id', 'right'])
      .execute();
  },
};

const provider: MigrationProvider = { getMigrations: async () => ({ '001-actions': initial }) };

export class ActionsMigrationError extends Error {
  constructor(cause: unknown) {
    super(`The action service could not prepare its tables in the transactional store: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ActionsMigrationError';
  }
}

/** Brings the action tables up to date; safe to run at every start. */
export async function migrateActions(db: Kysely<object>): Promise<void> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'actions_migrations',
    migrationLockTableName: 'actions_migrations_lock',
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new ActionsMigrationError(error);
}
