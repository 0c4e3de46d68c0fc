import { Migrator, sql, type Generated, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** The exception workflow's own tables in the transactional store. */
type Timestamp = Date | string;

export type ExceptionItemsTable = {
  id: string;
  queue: string;
  rule: string;
  dedupe_key: string;
  severity: string;
  /** 0 = critical … 3 = low: sorts by severity without a CASE per row. */
  severity_rank: number;
  status: string;
  summary: string;
  value_at_risk: number;
  currency: string;
  entities: unknown;
  /** The order it is about, if any: a flush re-checks only the items of the orders it touched. */
  order_id: string | null;
  warehouse: string | null;
  channel: string | null;
  began_at: Timestamp;
  opened_at: Timestamp;
  sla_due_at: Timestamp;
  assignee_id: string | null;
  assignee_name: string | null;
  snoozed_until: Timestamp | null;
  resolved_at: Timestamp | null;
  resolution: string | null;
  /** The rule still reports the cause: a person's resolution then stands until the cause clears once. */
  condition_active: boolean;
  updated_at: Timestamp;
  /** When the SLA deadline passed unresolved and the item was escalated; null before. */
  breached_at: Timestamp | null;
  /** The severity the rule gives it, kept when a breach raised `severity` one step. */
  escalated_from: string | null;
};

export type ExceptionCommentsTable = {
  id: Generated<number>;
  exception_id: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: Timestamp;
};

export type ExceptionHistoryTable = {
  id: Generated<number>;
  exception_id: string;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
};

export type ExceptionRuleSettingsTable = {
  rule: string;
  settings: unknown;
  updated_at: Timestamp;
  updated_by: string | null;
};

export type ExceptionTables = {
  exception_items: ExceptionItemsTable;
  exception_comments: ExceptionCommentsTable;
  exception_history: ExceptionHistoryTable;
  exception_rule_settings: ExceptionRuleSettingsTable;
};

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = 'timestamptz' as const;
    await db.schema
      .createTable('exception_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('queue', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('dedupe_key', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('severity_rank', 'smallint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'claimed', 'snoozed', 'resolved')`))
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('value_at_risk', 'double precision', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('entities', 'jsonb', (c) => c.notNull())
      .addColumn('order_id', 'text')
      .addColumn('warehouse', 'text')
      .addColumn('channel', 'text')
      .addColumn('began_at', ts, (c) => c.notNull())
      .addColumn('opened_at', ts, (c) => c.notNull())
      .addColumn('sla_due_at', ts, (c) => c.notNull())
      .addColumn('assignee_id', 'text')
      .addColumn('assignee_name', 'text')
      .addColumn('snoozed_until', ts)
      .addColumn('resolved_at', ts)
      .addColumn('resolution', 'text')
      .addColumn('condition_active', 'boolean', (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    // One unresolved item per cause, enforced by the store itself, whatever runs the engine.
    await sql`create unique index exception_items_one_unresolved on exception_items (dedupe_key) where status <> 'resolved'`.execute(
      db,
    );
    await sql`create index exception_items_active_cause on exception_items (dedupe_key) where condition_active`.execute(
      db,
    );
    await sql`create index exception_items_unresolved on exception_items (queue, status) where status <> 'resolved'`.execute(
      db,
    );
    await sql`create index exception_items_rule_order on exception_items (rule, order_id) where status <> 'resolved' or condition_active`.execute(
      db,
    );
    await sql`create index exception_items_snoozed on exception_items (snoozed_until) where status = 'snoozed'`.execute(
      db,
    );
    await db.schema
      .createTable('exception_comments')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('exception_id', 'text', (c) => c.notNull().references('exception_items.id'))
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('exception_comments_item')
      .on('exception_comments')
      .columns(['exception_id', 'id'])
      .execute();
    await db.schema
      .createTable('exception_history')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('exception_id', 'text', (c) => c.notNull().references('exception_items.id'))
      .addColumn('at', ts, (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .execute();
    await db.schema
      .createIndex('exception_history_item')
      .on('exception_history')
      .columns(['exception_id', 'id'])
      .execute();
    await db.schema
      .createTable('exception_rule_settings')
      .addColumn('rule', 'text', (c) => c.primaryKey())
      .addColumn('settings', 'jsonb', (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .execute();
  },
};

/** Drill-through pages list the exceptions of one order, SKU or return: `entities @> '[{…}]'`. */
const entityLookup: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index if not exists exception_items_entities on exception_items using gin (entities jsonb_path_ops)`.execute(
      db,
    );
  },
};

/** The exception KPIs read by resolution time: items resolved in a range, and those still open at its end. */
const resolvedAtIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index if not exists exception_items_resolved_at on exception_items (resolved_at) where resolved_at is not null`.execute(
      db,
    );
  },
};

/**
 * One index per queue sort, over unresolved items only (the rows a queue shows), ending with the
 * id as the list compares it: a page is then an index range scan from the cursor, at any depth.
 * Descending views walk the same indexes backwards.
 */
const queueSorts: Migration = {
  async up(db: Kysely<unknown>) {
    const sorts = {
      severity: 'severity_rank, sla_due_at',
      age: 'opened_at',
      sla: 'sla_due_at',
      value: 'value_at_risk',
      updated: 'updated_at',
    };
    for (const [name, columns] of Object.entries(sorts)) {
      await sql`create index ${sql.raw(`exception_items_queue_by_${name}`)} on exception_items (queue, ${sql.raw(columns)}, (id collate "C")) where status <> 'resolved'`.execute(
        db,
      );
    }
  },
};

/** SLA breach escalation: when it happened, the severity before, and the index the breach check scans. */
const slaBreaches: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`alter table exception_items add column if not exists breached_at timestamptz, add column if not exists escalated_from text`.execute(db);
    await sql`create index if not exists exception_items_sla_pending on exception_items (sla_due_at) where status <> 'resolved' and breached_at is null`.execute(
      db,
    );
  },
};

const provider: MigrationProvider = {
  getMigrations: async () => ({
    '001-exception-workflow': initial,
    '002-exception-entity-lookup': entityLookup,
    '003-exception-resolved-at': resolvedAtIndex,
    '004-exception-queue-sorts': queueSorts,
    '005-exception-sla-breaches': slaBreaches,
  }),
};

export class ExceptionWorkflowMigrationError extends Error {
  constructor(cause: unknown) {
    super(
      `The exception workflow tables could not be created or upgraded (${cause instanceof Error ? cause.message : String(cause)}); check that the transactional store is reachable and writable.`,
      { cause },
    );
    this.name = 'ExceptionWorkflowMigrationError';
  }
}

export async function migrateExceptionWorkflow(db: Kysely<object>): Promise<string[]> {
  // Named explicitly: Kysely otherwise looks for its ledger in any schema and may find another tenant's.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'exception_migrations',
    migrationLockTableName: 'exception_migrations_lock',
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new ExceptionWorkflowMigrationError(error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
