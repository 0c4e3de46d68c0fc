import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import type { z } from 'zod';
import { runtimeSlot } from '@/lib/runtime-slot';
import { AnalyticsError, isTransientAnalyticsFailure, toAnalyticsError } from './analytics-error';

export { AnalyticsError, type AnalyticsErrorCode } from './analytics-error';

/** The one way into ClickHouse: every call is tagged, bounded in time, and fails as an AnalyticsError. */
export interface Analytics {
  readonly engine: 'chdb' | 'server';
  query<T>(q: {
    name: string;
    sql: string;
    params?: Record<string, unknown>;
    schema: z.ZodType<T>;
    timeoutMs?: number;
  }): Promise<T[]>;
  command(q: { name: string; sql: string; params?: Record<string, unknown> }): Promise<void>;
  insert(q: { name: string; table: string; rows: readonly object[]; deduplicationToken?: string }): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const INSERT_TIMEOUT_MS = 60_000;
const INSERT_ATTEMPTS = 4;
// The client-side abort only backs up the engine's own max_execution_time, so it fires a bit later.
const ABORT_GRACE_MS = 2_000;
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

export const analyticsSlot = runtimeSlot<Analytics>('analytics');

/** chDB in-process when `url` is unset (data under `${dataDir}/clickhouse`), else the ClickHouse server at `url`. */
export async function openAnalytics(o: { url?: string; dataDir: string; maxMemoryBytes: number }): Promise<Analytics> {
  if (o.url) {
    const client = createClient({ url: o.url, request_timeout: INSERT_TIMEOUT_MS + ABORT_GRACE_MS });
    return createGateway('server', client, async () => client.close());
  }
  const { openChdbEngine } = await import('./chdb-engine');
  const engine = await openChdbEngine(o.dataDir, o.maxMemoryBytes);
  return createGateway('chdb', engine.client, engine.close);
}

function createGateway(engine: 'chdb' | 'server', client: ClickHouseClient, release: () => Promise<void>): Analytics {
  // chDB runs one statement at a time per process, and the client applies per-call settings to
  // the shared session with SET: serialising here keeps one call's settings (a deduplication
  // token above all) from leaking into another's.
  const exclusive = engine === 'chdb' ? serialiser() : <T>(fn: () => Promise<T>) => fn();
  let closed = false;

  const settingsFor = (name: string, timeoutMs: number): ClickHouseSettings => ({
    log_comment: name,
    max_execution_time: Math.max(1, Math.ceil(timeoutMs / 1000)),
    output_format_json_quote_64bit_integers: 0,
  });

  const assertOpen = (name: string) => {
    if (closed)
      throw new AnalyticsError(name, 'unavailable', 'the analytics engine has been closed; restart the process.');
  };

  return {
    engine,

    async query<T>(q: {
      name: string;
      sql: string;
      params?: Record<string, unknown>;
      schema: z.ZodType<T>;
      timeoutMs?: number;
    }) {
      assertOpen(q.name);
      const timeoutMs = q.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const raw = await exclusive(async () => {
        try {
          const result = await client.query({
            query: q.sql,
            query_params: q.params,
            format: 'JSONEachRow',
            clickhouse_settings: settingsFor(q.name, timeoutMs),
            abort_signal: AbortSignal.timeout(timeoutMs + ABORT_GRACE_MS),
          });
          return await result.json<unknown>();
        } catch (err) {
          throw toAnalyticsError(q.name, err, timeoutMs);
        }
      });
      return raw.map((row, index) => parseRow(q.name, q.schema, row, index));
    },

    async command(q) {
      assertOpen(q.name);
      await exclusive(async () => {
        try {
          await client.command({
            query: q.sql,
            query_params: q.params,
            clickhouse_settings: settingsFor(q.name, DEFAULT_TIMEOUT_MS),
            abort_signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS + ABORT_GRACE_MS),
          });
        } catch (err) {
          throw toAnalyticsError(q.name, err, DEFAULT_TIMEOUT_MS);
        }
      });
    },

    async insert(q) {
      assertOpen(q.name);
      if (!TABLE_NAME.test(q.table))
        throw new AnalyticsError(q.name, 'invalid_query', `"${q.table}" is not a table name.`);
      if (q.rows.length === 0) return;
      const settings: ClickHouseSettings = {
        ...settingsFor(q.name, INSERT_TIMEOUT_MS),
        // Always sent, empty when absent, so a token can never carry over to the next insert.
        insert_deduplication_token: q.deduplicationToken ?? '',
        date_time_input_format: 'best_effort',
      };
      for (let attempt = 1; ; attempt++) {
        try {
          await exclusive(() =>
            client.insert({
              table: q.table,
              values: q.rows,
              format: 'JSONEachRow',
              clickhouse_settings: settings,
              abort_signal: AbortSignal.timeout(INSERT_TIMEOUT_MS + ABORT_GRACE_MS),
            }),
          );
          return;
        } catch (err) {
          const mapped = toAnalyticsError(q.name, err, INSERT_TIMEOUT_MS);
          // Retrying is safe: the same rows with the same token (or block hash) are stored once.
          if (attempt >= INSERT_ATTEMPTS || closed || !isTransientAnalyticsFailure(mapped)) throw mapped;
          console.warn(`[analytics] ${q.name}: insert attempt ${attempt} failed (${mapped.message}); retrying`);
          await sleep(100 * 4 ** (attempt - 1) * (0.75 + Math.random() / 2));
        }
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await exclusive(async () => undefined);
      await release();
    },
  };
}

function parseRow<T>(name: string, schema: z.ZodType<T>, row: unknown, index: number): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ');
  throw new AnalyticsError(
    name,
    'bad_rows',
    `row ${index} from ClickHouse does not have the expected shape (${problems}); the query and its schema disagree, which needs a code fix.`,
  );
}

function serialiser(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
