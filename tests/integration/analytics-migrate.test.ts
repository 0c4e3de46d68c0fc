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

    const lines = await a.query({
      name: 'test.order-lines',
      sql: 'SELECT order_id, created_at, channel, sku, qty, toString(unit_price) AS unit_price FROM order_lines FINAL',
      schema: z.object({
        order_id: z.string(),
        created_at: z.string(),
        channel: z.string(),
        sku: z.string(),
        qty: z.number(),
        unit_price: z.string(),
      }),
    });
    expect(lines).toEqual([
      { order_id: 'o-early', created_at: '2026-03-01 10:15:00.000', channel: 'web', sku: 'A', qty: 3, unit_price: '2.5' },
    ]);
  });

  it('is idempotent: a second run applies nothing and records nothing twice', async () => {
    const ledgerBefore = await count('schema_migrations');
    expect(await migrateAnalytics(a)).toEqual([]);
    expect(await count('schema_migrations')).toBe(ledgerBefore);
    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql'));
    expect(ledgerBefore).toBe(files.length);
    expect(await count('order_lines')).toBe(1);
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
    const shipments = await a.query({
      name: 'test.order-shipments',
      sql: 'SELECT order_id, shipment_id, shipped_at, warehouse, carrier, qtys FROM order_shipments FINAL',
      schema: z.object({
        order_id: z.string(),
        shipment_id: z.string(),
        shipped_at: z.string(),
        warehouse: z.string(),
        carrier: z.string(),
        qtys: z.array(z.number()),
      }),
    });
    expect(shipments).toEqual([
      { order_id: 'o-early', shipment_id: 's1', shipped_at: '2026-03-02 09:00:00.000', warehouse: 'east', carrier: 'ups', qtys: [3] },
    ]);
  });
});
