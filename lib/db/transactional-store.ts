import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import { KyselyPGlite } from 'kysely-pglite';
import pg from 'pg';
import { runtimeSlot } from '../runtime-slot';

/**
 * The transactional store: users, sessions, sandbox state, later rules and workflow state.
 * PGlite in-process under the data directory by default; PostgreSQL when DATABASE_URL is set.
 * Each module declares its own tables and narrows with `db.withTables<Its>()`.
 */
export interface TransactionalStore {
  db: Kysely<object>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export async function openTransactionalStore(options: {
  databaseUrl?: string;
  dataDir: string;
  /** Log every statement that runs at least this long (PGlite runs on the event loop: a slow one stalls the process). */
  slowMs?: number;
}): Promise<TransactionalStore> {
  const log = options.slowMs === undefined ? undefined : slowStatementLog(options.slowMs);
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    const db = new Kysely<object>({ dialect: new PostgresDialect({ pool }), log });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dir = path.resolve(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const { dialect } = await KyselyPGlite.create(dir);
  const db = new Kysely<object>({ dialect, log });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

function slowStatementLog(slowMs: number): (event: LogEvent) => void {
  return (event) => {
    if (event.queryDurationMillis < slowMs) return;
    const sql = event.query.sql.replace(/\s+/g, ' ').slice(0, 300);
    console.warn(`[store] slow: ${event.queryDurationMillis.toFixed(0)} ms${event.level === 'error' ? ' (failed)' : ''}: ${sql}`);
  };
}

export const transactionalStoreSlot = runtimeSlot<TransactionalStore>('transactional-store');
