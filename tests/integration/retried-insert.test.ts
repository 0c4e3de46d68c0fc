import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import { allEvents } from '../support/drill-through-events';
import { storedEventRow } from '../support/stored-event-row';

// A write whose answer was lost is retried with the same deduplication token. The table inserted
// into stores it once; so must every table a view writes from it — a stock movement counted twice
// is a stock drift that is not there, a ledger pass counted twice a wrong KPI.

let a: Analytics;

beforeAll(async () => {
  a = await openAnalytics({ dataDir: await mkdtemp(path.join(os.tmpdir(), 'tower-retried-insert-')), maxMemoryBytes: 512 * 1024 ** 2 });
  await migrateAnalytics(a);
  const ingest = createIngestService({ analytics: a, bus: createInProcessBus(), maxBatchDelayMs: 10 });
  expect((await ingest.submit(allEvents, 'test')).rejected).toEqual([]);
  await ingest.flush();
  await ingest.close();
});

afterAll(async () => {
  await a?.close();
});

/** Rows in every table that stores them (the Null entries and views hold none). */
async function rowsByTable(): Promise<Record<string, number>> {
  const rows = await a.query({
    name: 'test.rows-by-table',
    sql: `SELECT name, total_rows AS n FROM system.tables
WHERE database = currentDatabase() AND engine LIKE '%MergeTree' ORDER BY name`,
    schema: z.object({ name: z.string(), n: z.coerce.number() }),
  });
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

describe('a retried insert', () => {
  it('adds nothing to the facts its views write when its events were stored already', async () => {
    // Every stored event again, as one batch under a token of its own: stored the first time.
    const stored = await a.query({ name: 'test.read-stored', sql: 'SELECT * FROM events ORDER BY id', schema: storedEventRow });
    const batch = { name: 'test.resend', table: 'events', rows: stored, deduplicationToken: 'resend-1' };
    const before = await rowsByTable();
    await a.insert(batch);
    const once = await rowsByTable();
    // The batch reached the facts: the tables that would double-count grew.
    for (const table of ['events', 'stock_movements', 'stock_snapshots', 'order_lines', 'return_lines'])
      expect(once[table], table).toBeGreaterThan(before[table]);

    await a.insert(batch);
    expect(await rowsByTable()).toEqual(once);
  });

  it("adds a ledger pass's difference to the sums once", async () => {
    const difference = {
      name: 'test.store-difference',
      table: 'kpi_ledger_contributions',
      rows: [
        { family: 'test', entity_key: 'SO-RETRY', metric: 'orders.created', hour: '2026-03-10 09:00:00', value: '1' },
        { family: 'test', entity_key: 'SO-RETRY', metric: 'orders.gross_sales', hour: '2026-03-10 09:00:00', value: '25.5' },
      ].map((row) => ({ channel: 'web', region: '', warehouse: '', category: '', carrier: '', supplier: '', detail: '', bucket: 0, ...row })),
      deduplicationToken: 'pass-1',
    };
    const sums = async () =>
      a.query({
        name: 'test.ledger-sums',
        sql: `SELECT t, toString(sum(value)) AS total FROM (
SELECT 'hourly' AS t, value FROM kpi_ledger_hourly WHERE metric = 'orders.gross_sales'
UNION ALL SELECT 'daily', value FROM kpi_ledger_daily WHERE metric = 'orders.gross_sales'
UNION ALL SELECT 'monthly', value FROM kpi_ledger_monthly WHERE metric = 'orders.gross_sales'
UNION ALL SELECT 'daily slices', value FROM kpi_ledger_daily_slices WHERE metric = 'orders.gross_sales' AND dimension = ''
UNION ALL SELECT 'hourly slices', value FROM kpi_ledger_hourly_slices WHERE metric = 'orders.gross_sales' AND dimension = '')
GROUP BY t ORDER BY t`,
        schema: z.object({ t: z.string(), total: z.string() }),
      });
    const plus = (rows: { t: string; total: string }[], add: number) =>
      rows.map(({ t, total }) => ({ t, total: String(Number(total) + add) }));

    const before = await sums();
    await a.insert(difference);
    const once = await rowsByTable();
    expect(await sums()).toEqual(plus(before, 25.5));

    await a.insert(difference);
    expect(await sums()).toEqual(plus(before, 25.5));
    expect(await rowsByTable()).toEqual(once);
  });
});
