import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
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

export async function openTransactionalStore(options: { databaseUrl?: string; dataDir: string }): Promise<TransactionalStore> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    const db = new Kysely<object>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dir = path.resolve(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const { dialect } = await KyselyPGlite.create(dir);
  const db = new Kysely<object>({ dialect });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

export const transactionalStoreSlot = runtimeSlot<TransactionalStore>('transactional-store');
