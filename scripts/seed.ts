/**
 * `npm run seed -- --days 30 [--rate 12]`: fills an empty data directory with simulated history
 * from the sandbox core, through the same ingest pipeline the live stream uses.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AnalyticsError, openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { migrateAnalytics } from '@/analytics/migrate';
import { IngestBusyError, createIngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import { openSandboxCore, SandboxHistoryExistsError, type SandboxEvent } from '@/lib/core/sandbox/sandbox-core';
import { openTransactionalStore } from '@/lib/db/transactional-store';
import { parseBytes, readEnv } from '@/lib/env';

class SeedUsageError extends Error {}

function readOptions(): { days: number; rate: number } {
  const { values } = parseArgs({ options: { days: { type: 'string', default: '30' }, rate: { type: 'string' } }, allowPositionals: false });
  const env = readEnv();
  const days = Number(values.days);
  const rate = values.rate === undefined ? env.SANDBOX_RATE || 12 : Number(values.rate);
  if (!Number.isInteger(days) || days < 1 || days > 400) throw new SeedUsageError(`--days must be a whole number of days from 1 to 400 (got "${values.days}")`);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) throw new SeedUsageError(`--rate must be orders per minute above 0 and at most 1000 (got "${values.rate}")`);
  return { days, rate };
}

async function openAnalyticsOrExplain(dataDir: string): Promise<Analytics> {
  const env = readEnv();
  try {
    return await openAnalytics({ url: env.CLICKHOUSE_URL, dataDir, maxMemoryBytes: parseBytes(env.TOWER_MAX_MEMORY) });
  } catch (err) {
    if (err instanceof AnalyticsError && err.code === 'data_dir_locked') {
      throw new SeedUsageError(`${dataDir} is in use by a running Control Tower server. Stop it (Ctrl-C in its terminal) and run the seed again, or seed another TOWER_DATA_DIR.`);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  process.env.TZ = 'UTC';
  const { days, rate } = readOptions();
  const env = readEnv();
  const dataDir = path.resolve(env.TOWER_DATA_DIR);
  // The engine's lock is checked first: it is what tells us a server owns this directory.
  const analytics = await openAnalyticsOrExplain(dataDir);
  const store = await openTransactionalStore({ databaseUrl: env.DATABASE_URL, dataDir }).catch(async (err: unknown) => {
    await analytics.close();
    throw err;
  });
  const bus = createInProcessBus();
  const ingest = createIngestService({ analytics, bus });
  try {
    await migrateAnalytics(analytics);
    let rejected = 0;
    const submit = async (events: SandboxEvent[]): Promise<void> => {
      for (;;) {
        try {
          const result = await ingest.submit(events, 'sandbox');
          rejected += result.rejected.length;
          for (const r of result.rejected.slice(0, 3)) console.error(`  rejected ${r.id ?? `#${r.index}`}: ${r.error}`);
          return;
        } catch (err) {
          if (!(err instanceof IngestBusyError)) throw err;
          await new Promise((resolve) => setTimeout(resolve, err.retryAfterSeconds * 1000));
        }
      }
    };
    const sandbox = await openSandboxCore({ db: store.db, emit: submit });
    if (await sandbox.hasHistory()) throw new SandboxHistoryExistsError();
    console.log(`[seed] simulating ${days} days at ~${rate} orders/min into ${dataDir} (store: ${store.kind}, engine: ${analytics.engine})`);
    const started = Date.now();
    const done = await sandbox.backfill(days, rate, (p) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      console.log(`[seed] ${p.day}  ${p.events.toLocaleString('en-US')} events  ${seconds}s`);
    });
    await ingest.flush();
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `[seed] done: ${done.orders.toLocaleString('en-US')} orders, ${done.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)}s ` +
        `(${Math.round(done.events / seconds).toLocaleString('en-US')} events/s)${rejected ? `, ${rejected} rejected (see dead letters)` : ''}`,
    );
  } finally {
    await ingest.close();
    await bus.close();
    await store.close();
    await analytics.close();
  }
}

main().catch((err: unknown) => {
  const known = err instanceof SeedUsageError || err instanceof SandboxHistoryExistsError || err instanceof AnalyticsError;
  console.error(`[seed] ${known && err instanceof Error ? err.message : `failed: ${err instanceof Error ? err.message : String(err)}`}`);
  process.exit(1);
});
