import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { migrateAnalytics } from '@/analytics/migrate';

const migrationsDir = path.resolve('analytics/migrations');
let a: Analytics;

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tower-analytics-migrate-'));
  a = await openAnalytics({ dataDir, maxMemoryBytes: 512 * 1024 * 1024 });
});

afterAll(async () => {
  await a?.close();
});

// `table` and `where` are constants of this file; values always go in `params`.
const count = async (table: string, where = '1', params: Record<string, string> = {}) =>
  (
    await a.query({
      name: 'test.count',
      sql: `SELECT count() AS n FROM ${table} WHERE ${where}`,
      params,
      schema: z.object({ n: z.number() }),
    })
  )[0].n;

describe('migrateAnalytics', () => {
  it('applies only the first migration when that is all a folder holds', async () => {
    const onlyFirst = await mkdtemp(path.join(os.tmpdir(), 'tower-migrations-'));
    await copyFile(path.join(migrationsDir, '001-events.sql'), path.join(onlyFirst, '001-events.sql'));
    expect(await migrateAnalytics(a, pathToFileURL(`${onlyFirst}/`))).toEqual(['001-events.sql']);
  });

  it('folds events stored before a rollup existed into it, once', async () => {
    await a.insert({
      name: 'test.seed-events',
      table: 'events',
      rows: [
        {
          id: 'early-1',
          type: 'order.created',
          occurred_at: '2026-03-01 10:15:00.000',
          received_at: '2026-03-01 10:15:01.000',
          source: 'test',
          order_id: 'o-early',
          data: JSON.stringify({
            order_id: 'o-early',
            channel: 'web',
            lines: [{ sku: 'A', qty: 3, unit_price: '2.50' }],
          }),
          attrs: '{}',
        },
      ],
    });

    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
    const applied = await migrateAnalytics(a);
    expect(applied).toEqual(files.filter((f) => f !== '001-events.sql'));

    const rows = await a.query({
      name: 'test.orders-hourly',
      sql: 'SELECT hour, channel, sum(orders) AS orders, sum(units) AS units, sum(gross_sales) AS gross FROM orders_hourly GROUP BY hour, channel',
      schema: z.object({
        hour: z.string(),
        channel: z.string(),
        orders: z.number(),
        units: z.number(),
        gross: z.number(),
      }),
    });
    expect(rows).toEqual([{ hour: '2026-03-01 10:00:00', channel: 'web', orders: 1, units: 3, gross: 7.5 }]);
    expect(await count('order_facts', 'order_id = {id:String}', { id: 'o-early' })).toBe(1);
  });

  it('is idempotent: a second run applies nothing and records nothing twice', async () => {
    const ledgerBefore = await count('schema_migrations');
    expect(await migrateAnalytics(a)).toEqual([]);
    expect(await count('schema_migrations')).toBe(ledgerBefore);
    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql'));
    expect(ledgerBefore).toBe(files.length);
    expect(await count('orders_hourly')).toBe(1);
  });

  it('feeds the rollups from new inserts through the materialized views', async () => {
    await a.insert({
      name: 'test.new-event',
      table: 'events',
      rows: [
        {
          id: 'later-1',
          type: 'order.shipped',
          occurred_at: '2026-03-02 09:00:00.000',
          received_at: '2026-03-02 09:00:01.000',
          source: 'test',
          order_id: 'o-early',
          data: JSON.stringify({
            order_id: 'o-early',
            shipment_id: 's1',
            warehouse: 'east',
            carrier: 'ups',
            lines: [{ sku: 'A', qty: 3 }],
          }),
          attrs: '{}',
        },
      ],
    });
    expect(
      await count('shipments_hourly', 'warehouse = {w:String} AND carrier = {c:String}', { w: 'east', c: 'ups' }),
    ).toBe(1);
    const facts = await a.query({
      name: 'test.order-facts',
      sql: 'SELECT min(created_at) AS created, min(first_shipped_at) AS shipped, sum(units_shipped) AS units FROM order_facts WHERE order_id = {id:String}',
      params: { id: 'o-early' },
      schema: z.object({ created: z.string().nullable(), shipped: z.string().nullable(), units: z.number() }),
    });
    expect(facts).toEqual([{ created: '2026-03-01 10:15:00.000', shipped: '2026-03-02 09:00:00.000', units: 3 }]);
  });
});
