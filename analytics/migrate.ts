import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Analytics } from './clickhouse';
import { splitSqlStatements } from './sql-statements';

const MIGRATION_FILE = /^(\d{3,})-[a-z0-9-]+\.sql$/;
/** A migration may backfill or build a projection over the whole ledger: minutes on a large store. */
const STATEMENT_TIMEOUT_MS = 30 * 60_000;

const appliedRowSchema = z.object({ version: z.number(), name: z.string(), checksum: z.string() });

interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/**
 * Applies `migrations/NNN-*.sql` in order, each once, and records each in `schema_migrations`.
 * Returns the names applied by this call (empty when the schema was already current). A file
 * that changed after it was applied is reported, not re-run: changes go in a new numbered file.
 */
export async function migrateAnalytics(
  a: Analytics,
  folder: URL = new URL('./migrations/', import.meta.url),
): Promise<string[]> {
  await a.command({
    name: 'migrate.create-ledger',
    sql: `CREATE TABLE IF NOT EXISTS schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY version`,
  });
  const applied = new Map(
    (
      await a.query({
        name: 'migrate.list-applied',
        sql: 'SELECT version, any(name) AS name, any(checksum) AS checksum FROM schema_migrations GROUP BY version',
        schema: appliedRowSchema,
      })
    ).map((row) => [row.version, row]),
  );

  const ran: string[] = [];
  for (const file of await readMigrations(folder)) {
    const done = applied.get(file.version);
    if (done) {
      if (done.checksum !== file.checksum) {
        console.warn(
          `[analytics] migration ${file.name} changed after it was applied; it is not re-run (put changes in a new numbered file)`,
        );
      }
      continue;
    }
    const statements = splitSqlStatements(file.sql);
    for (const [i, sql] of statements.entries()) {
      await a.command({ name: `migrate.${file.name}#${i + 1}`, sql, timeoutMs: STATEMENT_TIMEOUT_MS });
    }
    await a.insert({
      name: 'migrate.record',
      table: 'schema_migrations',
      rows: [{ version: file.version, name: file.name, checksum: file.checksum, applied_at: new Date().toISOString() }],
    });
    console.log(`[analytics] migration ${file.name} applied (${statements.length} statements)`);
    ran.push(file.name);
  }
  return ran;
}

async function readMigrations(folder: URL): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  for (const entry of await readdir(folder)) {
    const m = MIGRATION_FILE.exec(entry);
    if (!m) continue;
    const sql = await readFile(new URL(entry, folder), 'utf8');
    files.push({ version: Number(m[1]), name: entry, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  files.sort((x, y) => x.version - y.version);
  const versions = files.map((f) => f.version);
  const twice = versions.find((v, i) => versions.indexOf(v) !== i);
  if (twice !== undefined) throw new Error(`Two analytics migrations share the number ${twice}; renumber one of them.`);
  return files;
}
