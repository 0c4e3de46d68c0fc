import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { AnalyticsError } from './analytics-error';
import { chdbClientConnection } from './chdb-client-connection';

export interface ChdbEngine {
  client: ClickHouseClient;
  close(): Promise<void>;
}

/**
 * Opens chDB in this process. The Session comes first because only the first connection to a
 * data directory can pass engine arguments, and the memory cap is one: without it chDB may take
 * up to 90 % of RAM. The @clickhouse/client connection then joins the same engine, so chDB and a
 * server share one code path. The addon is imported here, lazily, so a server deployment never
 * loads it.
 */
export async function openChdbEngine(dataDir: string, maxMemoryBytes: number): Promise<ChdbEngine> {
  const dir = path.resolve(dataDir, 'clickhouse');
  await mkdir(dir, { recursive: true });
  const { Session } = await import('chdb');
  const { createChdbConnection } = await import('chdb/connection');
  let session: InstanceType<typeof Session>;
  try {
    session = new Session(dir, { connectionArgs: [`--max_server_memory_usage=${Math.floor(maxMemoryBytes)}`] });
  } catch (err) {
    throw await openFailure(dir, err);
  }
  try {
    const client = createClient({ connection: chdbClientConnection(createChdbConnection({ path: dir })) });
    return {
      client,
      async close() {
        await client.close();
        session.close();
      },
    };
  } catch (err) {
    session.close();
    throw await openFailure(dir, err);
  }
}

async function openFailure(dir: string, err: unknown): Promise<AnalyticsError> {
  const owner = await ownerPid(dir);
  const detail = err instanceof Error ? err.message : String(err);
  if (owner !== null && owner !== process.pid && isAlive(owner)) {
    return new AnalyticsError(
      'open',
      'data_dir_locked',
      `another Control Tower process (pid ${owner}) owns the data directory ${dir}; stop it, or set TOWER_DATA_DIR to another directory.`,
      undefined,
      { cause: err },
    );
  }
  return new AnalyticsError(
    'open',
    'engine',
    `could not open the chDB data directory ${dir} (${detail}); another process may own it (stop it, or set TOWER_DATA_DIR), or the directory is not writable.`,
    undefined,
    { cause: err },
  );
}

// The engine writes its pid into `status` while it holds the directory.
async function ownerPid(dir: string): Promise<number | null> {
  try {
    const m = /^PID:\s*(\d+)/m.exec(await readFile(path.join(dir, 'status'), 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EPERM';
  }
}
