import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A transactional store on the test PostgreSQL in a schema of its own; `drop` removes it. */
export async function openPgSchemaStore(
  prefix: string,
): Promise<{ store: TransactionalStore; url: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const store = await openTransactionalStore({ databaseUrl: url, dataDir: os.tmpdir() });
  return {
    store,
    url,
    async drop() {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}
