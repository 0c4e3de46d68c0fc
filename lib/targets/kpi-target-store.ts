import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { z } from 'zod';

/**
 * The targets admins set per KPI, in the transactional store. A row overrides the catalogue's
 * default target for its KPI; no row means the default stands (analytics/kpis/kpi-targets.ts).
 */
type Timestamp = Date | string;

export type KpiTargetsTable = {
  kpi_key: string;
  direction: string;
  /** numeric: node-postgres returns it as text. */
  value: number | string;
  amber: number | string;
  updated_by: string;
  updated_at: Timestamp;
};

export type KpiTargetTables = { kpi_targets: KpiTargetsTable };

export const storedTargetSchema = z.object({
  kpiKey: z.string().min(1).max(64),
  direction: z.enum(['at_least', 'at_most']),
  value: z.number().finite(),
  amber: z.number().finite().min(0),
});
export type StoredTarget = z.infer<typeof storedTargetSchema>;

const rowSchema = z.object({
  kpi_key: z.string(),
  direction: z.enum(['at_least', 'at_most']),
  value: z.coerce.number(),
  amber: z.coerce.number(),
  updated_by: z.string(),
  updated_at: z.coerce.date(),
});

export interface StoredTargetRow extends StoredTarget {
  updatedBy: string;
  updatedAt: string;
}

const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('kpi_targets')
      .addColumn('kpi_key', 'text', (c) => c.primaryKey())
      .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('at_least', 'at_most')`))
      .addColumn('value', 'numeric', (c) => c.notNull())
      .addColumn('amber', 'numeric', (c) => c.notNull().check(sql`amber >= 0`))
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
};

const provider: MigrationProvider = { getMigrations: async () => ({ '001-kpi-targets': initial }) };

/** Brings the targets table up to date; safe to run at every start. */
export async function migrateKpiTargets(db: Kysely<object>): Promise<void> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'kpi_targets_migrations',
    migrationLockTableName: 'kpi_targets_migrations_lock',
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    throw new Error(
      `The KPI targets table could not be prepared in the transactional store: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function listStoredTargets(db: Kysely<object>): Promise<StoredTargetRow[]> {
  const rows = await db.withTables<KpiTargetTables>().selectFrom('kpi_targets').selectAll().execute();
  return rows.map((raw) => {
    const r = rowSchema.parse(raw);
    return {
      kpiKey: r.kpi_key,
      direction: r.direction,
      value: r.value,
      amber: r.amber,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

export async function saveStoredTarget(db: Kysely<object>, target: StoredTarget, by: string): Promise<void> {
  const t = storedTargetSchema.parse(target);
  const values = { direction: t.direction, value: t.value, amber: t.amber, updated_by: by, updated_at: new Date() };
  await db
    .withTables<KpiTargetTables>()
    .insertInto('kpi_targets')
    .values({ kpi_key: t.kpiKey, ...values })
    .onConflict((c) => c.column('kpi_key').doUpdateSet(values))
    .execute();
}

/** Drops the admin's target: the catalogue's default stands again. */
export async function deleteStoredTarget(db: Kysely<object>, kpiKey: string): Promise<void> {
  await db.withTables<KpiTargetTables>().deleteFrom('kpi_targets').where('kpi_key', '=', kpiKey).execute();
}
