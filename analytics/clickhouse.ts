import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import type { z } from 'zod';
import { runtimeSlot } from '@/lib/runtime-slot';
import { AnalyticsError, isTransientAnalyticsFailure, toAnalyticsError } from './analytics-error';

export { AnalyticsError, type AnalyticsErrorCode } from './analytics-error';

/**
 * Order on chDB's one statement at a time, never in the middle of one: `urgent`, a person waiting
 * (the check that resolves the exception they just acted on, an expedited write); `write`, ingest
 * storing events, ahead of the ledger passes that read them, so that a pass that waited takes in
 * every write that came meanwhile rather than one pass per write; `live`, the rest of the way from
 * stored events to the boards' push (ledger passes, board reads), ahead of new work so that what
 * is under way finishes first; `routine`, what pages read; and `background`, work
 * nobody waits on (the exception rules' sweeps, the ledger's progress). Live work that has waited
 * 300 ms, and background work that has waited a second, go before the lanes above them but
 * `urgent` (PATIENCE_MS): a burst of writes holds a pass back a little, never for good (bench:live
 * in docs/BENCHMARKS.md: writes first beat one lane in arrival order, and a shorter wait a second).
 */
export type QueryPriority = 'urgent' | 'write' | 'live' | 'routine' | 'background';

/** The one way into ClickHouse: every call is tagged, bounded in time, and fails as an AnalyticsError. */
export interface Analytics {
  readonly engine: 'chdb' | 'server';
  query<T>(q: {
    name: string;
    sql: string;
    params?: Record<string, unknown>;
    schema: z.ZodType<T>;
    timeoutMs?: number;
    priority?: QueryPriority;
  }): Promise<T[]>;
  command(q: {
    name: string;
    sql: string;
    params?: Record<string, unknown>;
    timeoutMs?: number;
    priority?: QueryPriority;
  }): Promise<void>;
  insert(q: {
    name: string;
    table: string;
    rows: readonly object[];
    deduplicationToken?: string;
    priority?: QueryPriority;
  }): Promise<void>;
  /**
   * Runs `work`'s calls back to back in one turn of `priority`'s lane: on chDB, which runs one
   * statement at a time, nothing queued meanwhile runs between them (a write's duplicate check
   * and its insert wait for their turn once, not twice). Keep it to a few short statements: the
   * lane waits for the whole turn, a retried insert's pause included. On a server, which runs
   * statements side by side, `work` simply runs. Inside `work`, use the gateway it is given: a
   * call on this one would queue behind the turn it is part of and never run.
   */
  inOneTurn<T>(work: (a: Analytics) => Promise<T>, priority?: QueryPriority): Promise<T>;
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
export async function openAnalytics(o: {
  url?: string;
  dataDir: string;
  maxMemoryBytes: number;
  /** Log every statement that runs at least this long, with how long it waited for its turn. */
  slowMs?: number;
}): Promise<Analytics> {
  if (o.url) {
    const client = createClient({ url: o.url, request_timeout: INSERT_TIMEOUT_MS + ABORT_GRACE_MS });
    return createGateway('server', client, async () => client.close(), o.slowMs);
  }
  const { openChdbEngine } = await import('./chdb-engine');
  const engine = await openChdbEngine(o.dataDir, o.maxMemoryBytes);
  return createGateway('chdb', engine.client, engine.close, o.slowMs);
}

function createGateway(engine: 'chdb' | 'server', client: ClickHouseClient, release: () => Promise<void>, slowMs?: number): Analytics {
  // chDB runs one statement at a time per process, and the client applies per-call settings to
  // the shared session with SET: serialising here keeps one call's settings (a deduplication
  // token above all) from leaking into another's.
  const lanes = engine === 'chdb' ? serialiser() : null;
  const serialise: Exclusive = lanes ?? ((fn) => fn());
  const idle = () => lanes?.idle() ?? Promise.resolve();
  /** Runs one statement, logging it when slow with how long it waited for its turn since `queued`. */
  const timed = async <T>(name: string, fn: () => Promise<T>, queued: number, priority?: QueryPriority): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      const ran = performance.now() - started;
      if (slowMs !== undefined && ran >= slowMs)
        console.warn(`[analytics] slow: ${name} ran ${ran.toFixed(0)} ms after waiting ${(started - queued).toFixed(0)} ms (${priority ?? 'routine'}), done at ${new Date().toISOString().slice(11, 23)}`);
    }
  };
  const exclusive: Turn = (name, fn, priority) => {
    const queued = performance.now();
    return serialise(() => timed(name, fn, queued, priority), priority);
  };
  let closed = false;
  const assertOpen = (name: string) => {
    if (closed)
      throw new AnalyticsError(name, 'unavailable', 'the analytics engine has been closed; restart the process.');
  };
  const calls = statementsOf(client, exclusive, assertOpen, () => closed);

  const gateway: Analytics = {
    engine,
    ...calls,

    inOneTurn(work, priority) {
      // A server runs statements side by side, each with its own settings: turns are chDB's.
      if (engine === 'server') return work(gateway);
      const queued = performance.now();
      return serialise(() => {
        // The turn's statements still run one at a time, in the order asked (Promise.all included);
        // its wait is logged with the first of them.
        const oneAtATime = serialiser();
        let waitingSince: number | null = queued;
        const inTurn: Turn = (name, fn) =>
          oneAtATime(() => {
            const since = waitingSince ?? performance.now();
            waitingSince = null;
            return timed(name, fn, since, priority);
          });
        const turn: Analytics = {
          engine,
          ...statementsOf(client, inTurn, assertOpen, () => closed),
          inOneTurn: (more) => more(turn),
          close: () => Promise.reject(new Error('close() is not part of a turn')),
        };
        return work(turn);
      }, priority);
    },

    async close() {
      if (closed) return;
      closed = true;
      // Nothing new is taken now: everything queued before, background work included, runs first.
      await idle();
      await release();
    },
  };
  return gateway;
}

type Turn = <T>(name: string, fn: () => Promise<T>, priority?: QueryPriority) => Promise<T>;

/** The gateway's statements, each run through `turn` (its place in chDB's queue, or at once within a turn). */
function statementsOf(
  client: ClickHouseClient,
  exclusive: Turn,
  assertOpen: (name: string) => void,
  isClosed: () => boolean,
): Pick<Analytics, 'query' | 'command' | 'insert'> {
  const settingsFor = (name: string, timeoutMs: number): ClickHouseSettings => ({
    log_comment: name,
    max_execution_time: Math.max(1, Math.ceil(timeoutMs / 1000)),
    output_format_json_quote_64bit_integers: 0,
  });

  return {
    async query<T>(q: {
      name: string;
      sql: string;
      params?: Record<string, unknown>;
      schema: z.ZodType<T>;
      timeoutMs?: number;
      priority?: QueryPriority;
    }) {
      assertOpen(q.name);
      const timeoutMs = q.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const raw = await exclusive(q.name, async () => {
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
      }, q.priority);
      return raw.map((row, index) => parseRow(q.name, q.schema, row, index));
    },

    async command(q) {
      assertOpen(q.name);
      const timeoutMs = q.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      await exclusive(q.name, async () => {
        try {
          await client.command({
            query: q.sql,
            query_params: q.params,
            // A command is never retried, so an INSERT … SELECT in it must not be dropped as a
            // repeat of an earlier block, nor inherit the last insert's token from the session.
            clickhouse_settings: {
              ...settingsFor(q.name, timeoutMs),
              insert_deduplicate: 0,
              insert_deduplication_token: '',
            },
            abort_signal: AbortSignal.timeout(timeoutMs + ABORT_GRACE_MS),
          });
        } catch (err) {
          throw toAnalyticsError(q.name, err, timeoutMs);
        }
      }, q.priority);
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
        // A retry is stored once by the views' tables too, not only by the table inserted into: each
        // has a deduplication window (migration 034). chDB's default; older servers' default was off.
        deduplicate_blocks_in_dependent_materialized_views: 1,
        date_time_input_format: 'best_effort',
      };
      for (let attempt = 1; ; attempt++) {
        try {
          await exclusive(
            q.name,
            () =>
              client.insert({
                table: q.table,
                values: q.rows,
                format: 'JSONEachRow',
                clickhouse_settings: settings,
                abort_signal: AbortSignal.timeout(INSERT_TIMEOUT_MS + ABORT_GRACE_MS),
              }),
            q.priority,
          );
          return;
        } catch (err) {
          const mapped = toAnalyticsError(q.name, err, INSERT_TIMEOUT_MS);
          // Retrying is safe: the same rows with the same token (or block hash) are stored once.
          if (attempt >= INSERT_ATTEMPTS || isClosed() || !isTransientAnalyticsFailure(mapped)) throw mapped;
          console.warn(`[analytics] ${q.name}: insert attempt ${attempt} failed (${mapped.message}); retrying`);
          await sleep(100 * 4 ** (attempt - 1) * (0.75 + Math.random() / 2));
        }
      }
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

type Exclusive = <T>(fn: () => Promise<T>, priority?: QueryPriority) => Promise<T>;

/** How long work of these lanes waits at most behind the lanes above it (urgent work excepted), in ms. */
const PATIENCE_MS: Partial<Record<QueryPriority, number>> = { live: 300, background: 1_000 };

/**
 * Runs one call at a time, in order of arrival, except that a call in a higher lane goes before
 * those of lower lanes still waiting (urgent, write, live, routine, background), and a live or
 * background call that has waited its PATIENCE_MS goes before all but urgent ones. Each lane keeps
 * its order. `idle` resolves once nothing is queued or running.
 */
function serialiser(): Exclusive & { idle(): Promise<void> } {
  type Call = { queued: number; run: () => Promise<void> };
  const waiting: Record<QueryPriority, Call[]> = { urgent: [], write: [], live: [], routine: [], background: [] };
  const overdue = (lane: 'live' | 'background') => {
    const first = waiting[lane][0];
    return first !== undefined && performance.now() - first.queued >= (PATIENCE_MS[lane] ?? Infinity) ? waiting[lane].shift() : undefined;
  };
  const take = () =>
    waiting.urgent.shift() ??
    overdue('live') ??
    overdue('background') ??
    waiting.write.shift() ??
    waiting.live.shift() ??
    waiting.routine.shift() ??
    waiting.background.shift();
  let busy = false;
  const idlers: (() => void)[] = [];
  const pump = async () => {
    if (busy) return;
    busy = true;
    for (let next = take(); next; next = take()) {
      await next.run();
      // Let what the statement's answer sets off queue its own next statement first: a ledger pass
      // ending queues the boards' reads a few promise hops later, and they should not find a routine
      // statement already running.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    busy = false;
    for (const resolve of idlers.splice(0)) resolve();
  };
  const run = <T>(fn: () => Promise<T>, priority: QueryPriority = 'routine') =>
    new Promise<T>((resolve, reject) => {
      waiting[priority].push({
        queued: performance.now(),
        run: async () => {
          try {
            resolve(await fn());
          } catch (err) {
            reject(err);
          }
        },
      });
      void pump();
    });
  const idle = () => (busy ? new Promise<void>((resolve) => idlers.push(resolve)) : Promise.resolve());
  return Object.assign(run, { idle });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
