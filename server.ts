/**
 * The composition root. Embedded mode (the default) runs every role in one process: chDB allows
 * one process per data directory. With CLICKHOUSE_URL, DATABASE_URL and REDIS_URL set, the same
 * code runs as separate `TOWER_ROLE=web` and `TOWER_ROLE=ingest` processes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import next from 'next';
import { boardRoomFeed } from './analytics/board/board-room-feed';
import { createLiveBoards, liveBoardsSlot, type LiveBoards } from './analytics/board/live-board';
import { analyticsSlot, openAnalytics } from './analytics/clickhouse';
import { connectorHealthLog } from './analytics/connectors/connector-health-log';
import { exceptionEngineSlot, startExceptionEngine, type ExceptionEngine } from './analytics/exceptions/exception-engine';
import { migrateAnalytics } from './analytics/migrate';
import { handleCoreCall } from './ingest/http/core-endpoint';
import { handleEventsRequest } from './ingest/http/events-endpoint';
import { createIngestService, type IngestService } from './ingest/ingest-service';
import { ledgerFamilies } from './analytics/kpis/families/ledger-families';
import { createKpiLedger } from './analytics/kpis/ledger/kpi-ledger';
import { resolveIngestKey } from './ingest/ingest-key';
import { migrateActions } from './lib/actions/action-tables';
import { setApproverRight } from './lib/actions/approver-rights';
import { authSlot, createAuth, migrateAuth } from './lib/auth/auth';
import { demoUsersEnabled, ensureDemoUsers } from './lib/auth/demo-users';
import { createInProcessBus } from './lib/bus/in-process-bus';
import { liveBusSlot, type LiveBus, type LiveBusTopics, type Topic } from './lib/bus/live-bus';
import { createRedisBus } from './lib/bus/redis-bus';
import { connectorHealthSlot, watchedCall, type ConnectorHealth } from './lib/connectors/connector-health';
import { CORE_CALL_PATH } from './lib/core/core-calls';
import { transactionalCoreSlot } from './lib/core/core-slot';
import { createRemoteCore } from './lib/core/remote-core';
import { openSandboxCore } from './lib/core/sandbox/sandbox-core';
import { openTransactionalStore, transactionalStoreSlot, type TransactionalStore } from './lib/db/transactional-store';
import { migrateExceptionWorkflow } from './lib/exceptions/workflow-schema';
import { parseBytes, readEnv, type Env } from './lib/env';
import { persistedSecret } from './lib/persisted-secret';
import { migrateKpiTargets } from './lib/targets/kpi-target-store';
import { attachLiveSockets } from './lib/live-sockets';

type Stop = () => Promise<void>;

async function main(): Promise<void> {
  process.env.TZ = 'UTC';
  const env = readEnv();
  const dataDir = path.resolve(env.TOWER_DATA_DIR);
  const stops: Stop[] = [];
  const runsWeb = env.TOWER_ROLE !== 'ingest';
  const runsIngest = env.TOWER_ROLE !== 'web';

  const analytics = await openAnalytics({ url: env.CLICKHOUSE_URL, dataDir, maxMemoryBytes: parseBytes(env.TOWER_MAX_MEMORY), slowMs: env.TOWER_SLOW_QUERY_MS });
  analyticsSlot.set(analytics);
  stops.push(() => analytics.close());
  const applied = await migrateAnalytics(analytics);
  if (applied.length) console.log(`[analytics] migrations applied: ${applied.join(', ')}`);
  const health = connectorHealthLog(analytics);
  connectorHealthSlot.set(health);

  const store = await openTransactionalStore({ databaseUrl: env.DATABASE_URL, dataDir, slowMs: env.TOWER_SLOW_QUERY_MS });
  transactionalStoreSlot.set(store);
  stops.push(() => store.close());
  await migrateActions(store.db);
  await migrateExceptionWorkflow(store.db);
  await migrateKpiTargets(store.db);

  const bus = env.REDIS_URL ? await createRedisBus(env.REDIS_URL, env.TOWER_REDIS_PREFIX) : createInProcessBus();
  liveBusSlot.set(bus);
  stops.push(() => bus.close());

  let ingest: IngestService | null = null;
  let engine: ExceptionEngine | null = null;
  let ingestKey: string | null = null;
  // One ledger for the worker that keeps it and the boards that read it, when both run here.
  const ledger = runsIngest ? createKpiLedger(analytics, ledgerFamilies) : undefined;
  if (runsIngest) {
    ingest = createIngestService({ analytics, bus, ledger });
    stops.unshift(() => ingest!.close());
    const key = await resolveIngestKey({ fromEnv: env.TOWER_INGEST_KEY, dataDir });
    ingestKey = key.key;
    if (!env.TOWER_INGEST_KEY) console.log(`[ingest] key${key.generated ? ' (new)' : ''}: ${key.key}  (kept in ${path.join(dataDir, 'ingest-key')})`);
    // The exception engine lives with ingest: it needs the flushes, the analytics engine and the store.
    const started = await startExceptionEngine({ analytics, db: store.db, bus });
    engine = started;
    exceptionEngineSlot.set(started);
    stops.unshift(() => started.close());
    void started.sweep().catch((err: unknown) => console.error('[exceptions] first sweep failed:', err instanceof Error ? err.message : err));
  }

  // Split mode: this web process sends core calls to the ingest process that runs the core.
  if (env.TOWER_ROLE === 'web' && env.TOWER_CORE_URL && env.TOWER_INTERNAL_SECRET) {
    transactionalCoreSlot.set(createRemoteCore({ url: env.TOWER_CORE_URL, secret: env.TOWER_INTERNAL_SECRET }));
    console.log(`[core] actions go to the core at ${env.TOWER_CORE_URL}`);
  } else if (env.TOWER_ROLE === 'web') {
    console.log('[core] no TOWER_CORE_URL: actions answer 503 in this web process');
  }

  let boards: LiveBoards | null = null;
  let handleWeb: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null = null;
  if (runsWeb) {
    await startAuth(env, dataDir, store);
    const liveBoards = await createLiveBoards({ analytics, store, bus, ledger });
    boards = liveBoards;
    liveBoardsSlot.set(liveBoards);
    stops.unshift(() => liveBoards.close());
    const app = next({ dev: false, dir: path.dirname(new URL(import.meta.url).pathname) });
    await app.prepare();
    handleWeb = app.getRequestHandler();
  }

  const internalSecret = runsIngest ? env.TOWER_INTERNAL_SECRET : undefined;
  const server = createServer((req, res) => {
    const at = req.url?.split('?')[0];
    if (ingest && ingestKey && at === '/api/v1/events') {
      void handleEventsRequest(req, res, { ingest, ingestKey });
    } else if (internalSecret && at === CORE_CALL_PATH) {
      void handleCoreCall(req, res, { secret: internalSecret, core: () => transactionalCoreSlot.peek() });
    } else if (handleWeb) {
      void handleWeb(req, res);
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'This process only serves /api/v1/events' }));
    }
  });
  const closeSockets = boards
    ? await attachLiveSockets({
        server,
        redis: env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.TOWER_REDIS_PREFIX } : undefined,
        feeds: { exceptions: (push) => forwardBus(bus, 'exceptions', push) },
        roomFeeds: { board: boardRoomFeed(boards) },
      })
    : null;

  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOSTNAME, resolve));
  stops.unshift(async () => {
    // Live sockets first: an open WebSocket is an upgraded connection that closeAllConnections
    // leaves alone, so server.close would otherwise wait on every open board forever.
    await closeSockets?.();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });
  console.log(`[tower] ${env.TOWER_ROLE} on http://localhost:${env.PORT} (engine: ${analytics.engine}, store: ${store.kind}, bus: ${env.REDIS_URL ? 'redis' : 'in-process'})`);

  if (runsIngest && ingest && engine && env.SANDBOX_RATE > 0) stops.unshift(await startSandbox(env, store, ingest, engine, health));

  installShutdown(stops);
}

async function startAuth(env: Env, dataDir: string, store: TransactionalStore): Promise<void> {
  const secret = env.BETTER_AUTH_SECRET ?? (await persistedSecret(dataDir, 'auth-secret')).value;
  const baseURL = env.BETTER_AUTH_URL ?? `http://localhost:${env.PORT}`;
  const options = { db: store.db, secret, baseURL, trustedOrigins: [baseURL, `http://127.0.0.1:${env.PORT}`] };
  await migrateAuth(options);
  const auth = createAuth(options);
  authSlot.set(auth);
  if (!demoUsersEnabled(env)) return;
  const created = await ensureDemoUsers(auth, (userId) => setApproverRight(store.db, { userId, granted: true, by: null }));
  if (created.length) {
    console.log('[auth] demo users created (change or remove them before real use):');
    for (const u of created) console.log(`  ${u.label.padEnd(18)} ${u.email}  password: ${u.password}`);
  }
}

async function startSandbox(env: Env, store: TransactionalStore, ingest: IngestService, engine: ExceptionEngine, health: ConnectorHealth): Promise<Stop> {
  const delivery = { connector: 'sandbox', operation: 'event delivery' };
  const sandbox = await openSandboxCore({
    db: store.db,
    // A delivery the tower could not store is the connector's error; the sandbox retries it.
    emit: async (events, o) => {
      const result = await watchedCall(health, delivery, () => ingest.submit(events, 'sandbox', { urgent: o?.urgent }));
      for (const r of result.rejected) console.error(`[sandbox] event ${r.id ?? `#${r.index}`} rejected: ${r.error}`);
    },
  });
  // Actions reach the core only while the sandbox runs; without it they answer 503.
  transactionalCoreSlot.set(sandbox.actions);
  const run = async () => {
    if (env.SANDBOX_BACKFILL_DAYS > 0 && !(await sandbox.hasHistory())) {
      console.log(`[sandbox] first start: backfilling ${env.SANDBOX_BACKFILL_DAYS} days of history…`);
      // Exceptions are judged on what holds once the history is in, not on each day of it as it passes.
      const historyIn = engine.holdDuringHistory();
      try {
        const done = await sandbox.backfill(env.SANDBOX_BACKFILL_DAYS, env.SANDBOX_RATE);
        console.log(`[sandbox] backfill done: ${done.orders} orders, ${done.events} events`);
      } finally {
        const judging = Date.now();
        void historyIn()
          .then(() => console.log(`[exceptions] the history judged in ${Date.now() - judging} ms`))
          .catch((err: unknown) => console.error('[exceptions] sweep after the history failed:', err instanceof Error ? err.message : err));
      }
    }
    sandbox.start(env.SANDBOX_RATE);
    console.log(`[sandbox] streaming ~${env.SANDBOX_RATE} orders/min`);
  };
  const running = run().catch((err: unknown) => console.error('[sandbox] stopped:', err instanceof Error ? err.message : err));
  return async () => {
    await sandbox.stop();
    await running;
  };
}

/** A socket feed that forwards one live-bus topic as it is published. */
function forwardBus<T extends Topic>(bus: LiveBus, topic: T, push: (payload: LiveBusTopics[T]) => void): () => void {
  const subscribed = bus.subscribe(topic, push);
  return () => {
    void subscribed.then((stop) => stop()).catch(() => undefined);
  };
}

function installShutdown(stops: Stop[]): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[tower] ${signal}: flushing and stopping…`);
    for (const stop of stops) {
      await stop().catch((err: unknown) => console.error('[tower] while stopping:', err instanceof Error ? err.message : err));
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`[tower] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
