import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AnalyticsError, openAnalytics, type Analytics } from '@/analytics/clickhouse';

const MEMORY_CAP = 700 * 1024 * 1024;
let dataDir: string;
let a: Analytics;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tower-analytics-gateway-'));
  a = await openAnalytics({ dataDir, maxMemoryBytes: MEMORY_CAP });
});

afterAll(async () => {
  await a?.close();
});

async function rejection(p: Promise<unknown>): Promise<AnalyticsError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AnalyticsError)) throw new Error(`expected an AnalyticsError, got ${String(err)}`);
  return err;
}

describe('analytics gateway on chDB', () => {
  it('runs on chDB with the memory cap visible to the engine', async () => {
    expect(a.engine).toBe('chdb');
    const rows = await a.query({
      name: 'test.memory-cap',
      sql: 'SELECT value FROM system.server_settings WHERE name = {setting:String}',
      params: { setting: 'max_server_memory_usage' },
      schema: z.object({ value: z.string() }),
    });
    expect(rows).toEqual([{ value: String(MEMORY_CAP) }]);
  });

  it('binds values as parameters, so quotes and SQL in a value stay a value', async () => {
    const hostile = `O'Brien"; DROP TABLE events; --`;
    const rows = await a.query({
      name: 'test.bound',
      sql: 'SELECT {text:String} AS text, {n:UInt32} * 2 AS doubled, getSetting({tag:String}) AS tag',
      params: { text: hostile, n: 21, tag: 'log_comment' },
      schema: z.object({ text: z.string(), doubled: z.number(), tag: z.string() }),
    });
    // The query name travels as log_comment, the tag system.query_log is searched by.
    expect(rows).toEqual([{ text: hostile, doubled: 42, tag: 'test.bound' }]);
  });

  it('maps an engine error to an AnalyticsError naming the query', async () => {
    const err = await rejection(
      a.query({ name: 'test.no-such-table', sql: 'SELECT * FROM no_such_table', schema: z.object({}) }),
    );
    expect(err.queryName).toBe('test.no-such-table');
    expect(err.code).toBe('invalid_query');
    expect(err.message).toMatch(/^test\.no-such-table: /);
    expect(err.message).toContain('no_such_table');
    expect(err.message).not.toMatch(/\n\s+at /);
  });

  it('stops a query at its timeout', async () => {
    const err = await rejection(
      a.query({
        name: 'test.slow',
        sql: 'SELECT count() AS n FROM numbers(1000000000000)',
        timeoutMs: 1000,
        schema: z.object({ n: z.number() }),
      }),
    );
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('test.slow');
  });

  it('rejects rows that do not match the schema, saying which field', async () => {
    const err = await rejection(
      a.query({ name: 'test.shape', sql: 'SELECT 1 AS orders', schema: z.object({ orders: z.string() }) }),
    );
    expect(err.code).toBe('bad_rows');
    expect(err.message).toContain('orders');
  });

  it('stores a batch once when the same deduplication token is sent twice, and never drops a batch without one', async () => {
    await a.command({
      name: 'test.create',
      sql: 'CREATE TABLE t_dedupe (id String, n UInt32) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100',
    });
    const batch = [
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ];
    await a.insert({ name: 'test.insert', table: 't_dedupe', rows: batch, deduplicationToken: 'batch-1' });
    await a.insert({ name: 'test.insert', table: 't_dedupe', rows: batch, deduplicationToken: 'batch-1' });
    // A different batch right after a tokened one must not inherit the token and vanish.
    await a.insert({ name: 'test.insert', table: 't_dedupe', rows: [{ id: 'c', n: 3 }] });
    const rows = await a.query({
      name: 'test.count',
      sql: 'SELECT id, n FROM t_dedupe ORDER BY id',
      schema: z.object({ id: z.string(), n: z.number() }),
    });
    expect(rows).toEqual([...batch, { id: 'c', n: 3 }]);
  });

  it('refuses a table name that is not an identifier', async () => {
    const err = await rejection(
      a.insert({ name: 'test.bad-table', table: 't; DROP TABLE events', rows: [{ id: 'x' }] }),
    );
    expect(err.code).toBe('invalid_query');
  });

  it('keeps data across close and reopen of the same directory, close waiting for what was queued before it', async () => {
    await a.command({ name: 'test.create-kept', sql: 'CREATE TABLE kept (id String) ENGINE = MergeTree ORDER BY id' });
    const stored = a.insert({ name: 'test.insert-kept', table: 'kept', rows: [{ id: 'survives' }] });
    const counted = a.query({ name: 'test.count-kept', sql: 'SELECT count() AS n FROM kept', schema: z.object({ n: z.number() }), priority: 'background' });
    await a.close();
    await stored;
    expect(await counted).toEqual([{ n: 1 }]);
    a = await openAnalytics({ dataDir, maxMemoryBytes: MEMORY_CAP });
    const rows = await a.query({
      name: 'test.read-kept',
      sql: 'SELECT id FROM kept',
      schema: z.object({ id: z.string() }),
    });
    expect(rows).toEqual([{ id: 'survives' }]);
  });
});

describe('a data directory owned by another process', () => {
  let owner: ChildProcess | undefined;
  afterAll(() => {
    owner?.kill();
  });

  it('fails with a message that says which process owns it and what to do', async () => {
    // One process holds one engine: release ours so only the other process can be the reason.
    await a.close();
    const lockedDir = await mkdtemp(path.join(os.tmpdir(), 'tower-analytics-locked-'));
    const engineDir = path.join(lockedDir, 'clickhouse');
    owner = spawn(
      process.execPath,
      [
        '-e',
        `const { Session } = require('chdb'); new Session(${JSON.stringify(engineDir)}); console.log('ready'); setInterval(() => {}, 1000);`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      owner?.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      owner?.on('exit', (code) => reject(new Error(`the owning process exited early (${code})`)));
    });
    expect(existsSync(path.join(engineDir, 'status'))).toBe(true);

    const err = await rejection(openAnalytics({ dataDir: lockedDir, maxMemoryBytes: MEMORY_CAP }));
    expect(err.code).toBe('data_dir_locked');
    expect(err.message).toContain(`pid ${owner.pid}`);
    expect(err.message).toContain('TOWER_DATA_DIR');
  });
});
