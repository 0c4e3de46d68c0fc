import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService, IngestBusyError, IngestStoreError } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import type { FlushAnnouncement } from '@/lib/bus/live-bus';
import { EVENT_EXAMPLES } from '@/lib/events';

let analytics: Analytics;
const bus = createInProcessBus();

const delivered = (id: string) => ({ ...EVENT_EXAMPLES['order.delivered'], id });
const countRow = z.object({ n: z.coerce.number() });

async function storedCount(ids: string[]): Promise<number> {
  const [row] = await analytics.query({
    name: 'test.count',
    sql: 'SELECT count() AS n FROM events WHERE id IN {ids:Array(String)}',
    params: { ids },
    schema: countRow,
  });
  return row.n;
}

beforeAll(async () => {
  analytics = await openAnalytics({
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'ingest-service-')),
    maxMemoryBytes: 1024 ** 3,
  });
  await migrateAnalytics(analytics);
});

afterAll(async () => {
  await analytics.close();
});

describe('ingest service on chDB', () => {
  it('stores valid events once, counts repeats as accepted duplicates, and announces the flush', async () => {
    const ingest = createIngestService({ analytics, bus, maxBatchDelayMs: 20 });
    const heard: FlushAnnouncement[] = [];
    const unsubscribe = await bus.subscribe('flush', (a) => heard.push(a));
    const first = await ingest.submit([delivered('svc-1'), delivered('svc-2'), delivered('svc-1')], 'test');
    expect(first).toEqual({ accepted: 3, duplicates: 1, rejected: [] });
    expect(await storedCount(['svc-1', 'svc-2'])).toBe(2);
    expect(heard.at(-1)).toMatchObject({
      events: 2,
      deadLetters: 0,
      types: ['order.delivered'],
      lastOccurredAt: '2025-03-05T12:00:00.000Z',
    });
    expect(ingest.stats()).toMatchObject({ queuedRows: 0, lastFlushAt: expect.any(String) });

    const again = await ingest.submit([delivered('svc-2'), delivered('svc-3')], 'test');
    expect(again).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    expect(await storedCount(['svc-1', 'svc-2', 'svc-3'])).toBe(3);
    await unsubscribe();
    await ingest.close();
  });

  it('finds ids stored long ago through event_ids, not only in memory', async () => {
    const before = createIngestService({ analytics, bus, maxBatchDelayMs: 20 });
    await before.submit([delivered('old-1')], 'test');
    await before.close();
    const fresh = createIngestService({ analytics, bus, maxBatchDelayMs: 20 });
    expect(await fresh.submit([delivered('old-1'), delivered('old-2')], 'test')).toEqual({
      accepted: 2,
      duplicates: 1,
      rejected: [],
    });
    expect(await storedCount(['old-1', 'old-2'])).toBe(2);
    await fresh.close();
  });

  it('keeps rejected events as dead letters with the reason and the payload as sent', async () => {
    const ingest = createIngestService({ analytics, bus, maxBatchDelayMs: 20 });
    const bad = { ...EVENT_EXAMPLES['order.held'], id: 'dl-1', data: { order_id: 'SO-9', reason: 'vacation' } };
    const result = await ingest.submit([delivered('dl-ok'), bad, 'not json'], 'test');
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      { index: 1, id: 'dl-1', error: expect.stringContaining('data.reason: expected one of') },
      { index: 2, id: null, error: expect.stringContaining('not valid JSON') },
    ]);
    const letters = await analytics.query({
      name: 'test.dead-letters',
      sql: "SELECT event_id, event_type, source, reason, payload FROM dead_letters WHERE event_id = 'dl-1' OR payload = 'not json' ORDER BY event_id DESC",
      schema: z.object({
        event_id: z.string(),
        event_type: z.string(),
        source: z.string(),
        reason: z.string(),
        payload: z.string(),
      }),
    });
    expect(letters).toEqual([
      {
        event_id: 'dl-1',
        event_type: 'order.held',
        source: 'oms',
        reason: result.rejected[0].error,
        payload: JSON.stringify(bad),
      },
      { event_id: '', event_type: '', source: 'test', reason: result.rejected[1].error, payload: 'not json' },
    ]);
    await ingest.close();
  });

  it('answers with an error, never "accepted", when the rows cannot be stored; a retry then stores them once', async () => {
    const failing: Analytics = {
      ...analytics,
      engine: analytics.engine,
      insert: async () => {
        throw new Error('disk full');
      },
      inOneTurn: (work) => work(failing),
    };
    const broken = createIngestService({ analytics: failing, bus, maxBatchDelayMs: 20 });
    await expect(broken.submit([delivered('fail-1')], 'test')).rejects.toBeInstanceOf(IngestStoreError);
    expect(await storedCount(['fail-1'])).toBe(0);
    await broken.close();
    const healthy = createIngestService({ analytics, bus, maxBatchDelayMs: 20 });
    expect(await healthy.submit([delivered('fail-1')], 'test')).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await storedCount(['fail-1'])).toBe(1);
    await healthy.close();
  });

  it('refuses with IngestBusyError while more rows are queued than allowed', async () => {
    const ingest = createIngestService({ analytics, bus, maxBatchDelayMs: 200, maxQueuedRows: 2 });
    const first = ingest.submit([delivered('busy-1'), delivered('busy-2')], 'test');
    await new Promise((resolve) => setImmediate(resolve));
    const second = ingest.submit([delivered('busy-3')], 'test');
    await expect(second).rejects.toBeInstanceOf(IngestBusyError);
    await expect(second).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    expect((await first).accepted).toBe(2);
    await ingest.close();
  });

  it('flushes everything on close, and concurrent submitters of one id store it once', async () => {
    const ingest = createIngestService({ analytics, bus, maxBatchDelayMs: 60_000 });
    const results = Promise.all([
      ingest.submit([delivered('close-1')], 'a'),
      ingest.submit([delivered('close-1'), delivered('close-2')], 'b'),
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    await ingest.close();
    expect(await results).toEqual([
      { accepted: 1, duplicates: 0, rejected: [] },
      { accepted: 2, duplicates: 1, rejected: [] },
    ]);
    expect(await storedCount(['close-1', 'close-2'])).toBe(2);
  });
});
