import { mkdtemp } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { migrateAnalytics } from '@/analytics/migrate';
import { handleEventsRequest } from '@/ingest/http/events-endpoint';
import { createIngestService, IngestBusyError, type IngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import { EVENT_EXAMPLES } from '@/lib/events';

const KEY = 'integration-test-ingest-key-0123456789';
const bus = createInProcessBus();
let dataDir: string;
let analytics: Analytics;
let ingest: IngestService;
let server: Server;
let port: number;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

function post(body: Buffer | string, headers: Record<string, string> = {}, method = 'POST'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { port, method, path: '/api/v1/events', headers: { authorization: `Bearer ${KEY}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString() || '{}'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const event = (id: string) => ({ ...EVENT_EXAMPLES['order.delivered'], id });
const ndjson = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n');
const countRow = z.object({ n: z.coerce.number() });

async function start(): Promise<void> {
  analytics = await openAnalytics({ dataDir, maxMemoryBytes: 1024 ** 3 });
  await migrateAnalytics(analytics);
  ingest = createIngestService({ analytics, bus, maxBatchDelayMs: 20 });
  server = createServer((req, res) => void handleEventsRequest(req, res, { ingest, ingestKey: KEY }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}

async function stop(): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await ingest.close();
  await analytics.close();
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ingest-http-'));
  await start();
});

afterAll(stop);

describe('POST /api/v1/events', () => {
  it('accepts a gzip NDJSON body: 200 with accepted and duplicates', async () => {
    const answer = await post(gzipSync(ndjson([event('h-1'), event('h-2'), event('h-1')])), {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
    });
    expect(answer).toMatchObject({ status: 200, body: { accepted: 3, duplicates: 1 } });
  });

  it('accepts a JSON array', async () => {
    expect(await post(JSON.stringify([event('h-3')]), { 'content-type': 'application/json' })).toMatchObject({
      status: 200,
      body: { accepted: 1, duplicates: 0 },
    });
  });

  it('answers 207 with the index, id and reason of each rejected event, and keeps them as dead letters', async () => {
    const bad =
      '{"id":"h-bad","type":"order.allocated","occurred_at":"2025-03-01T10:00:00Z","source":"wms",  "data":{"order_id":"SO-1","warehouse":"wh","lines":[{"sku":"A","qty":0}]}}';
    const answer = await post(`[${JSON.stringify(event('h-4'))}, ${bad}]`, { 'content-type': 'application/json' });
    expect(answer.status).toBe(207);
    expect(answer.body).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 1, id: 'h-bad', error: 'data.lines[0].qty: expected integer >= 1' }],
    });
    const [letter] = await analytics.query({
      name: 'test.dead-letter',
      sql: "SELECT reason, payload FROM dead_letters WHERE event_id = 'h-bad'",
      schema: z.object({ reason: z.string(), payload: z.string() }),
    });
    expect(letter).toEqual({ reason: 'data.lines[0].qty: expected integer >= 1', payload: bad });
  });

  it.each<[string, string | undefined]>([
    ['no key', undefined],
    ['a wrong key', 'Bearer not-the-key-at-all-000000000000'],
  ])('answers 401 to %s', async (_case, authorization) => {
    const answer = await post(
      ndjson([event('h-401')]),
      authorization === undefined ? { authorization: '' } : { authorization },
    );
    expect(answer.status).toBe(401);
    expect(answer.body.error).toContain('Authorization: Bearer');
  });

  it('answers 405 to GET', async () => {
    const answer = await post('', {}, 'GET');
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
  });

  it('answers 400 and names the NDJSON line that cannot be read', async () => {
    const answer = await post(`${JSON.stringify(event('h-5'))}\n${JSON.stringify(event('h-6'))}\n{"id": oops}\n`, {
      'content-type': 'application/x-ndjson',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain('NDJSON line 3');
  });

  it('answers 400 to a body that is not gzip although it says so', async () => {
    const answer = await post('plain text', { 'content-encoding': 'gzip' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain('not valid gzip');
  });

  it('answers 413 to a body over 1 MB', async () => {
    const answer = await post(Buffer.alloc(1024 * 1024 + 10, 'x'));
    expect(answer.status).toBe(413);
    expect(answer.body.error).toContain('1 MB');
  });

  it('answers 413 to a gzip body that is over 1 MB once decompressed (and stops inflating it)', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const answer = await post(bomb, { 'content-encoding': 'gzip' });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toContain('once decompressed');
  });

  it('answers 413 to more than 5,000 events', async () => {
    const tiny = Array.from({ length: 5001 }, () => '{}').join('\n');
    const answer = await post(tiny, { 'content-type': 'application/x-ndjson' });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toContain('at most 5000');
  });

  it('answers 429 with Retry-After when the pipeline is over capacity', async () => {
    const original = ingest.submit;
    ingest.submit = async () => {
      throw new IngestBusyError(3);
    };
    try {
      const answer = await post(ndjson([event('h-busy')]));
      expect(answer.status).toBe(429);
      expect(answer.headers['retry-after']).toBe('3');
      expect(answer.body.error).toContain('retry');
    } finally {
      ingest.submit = original;
    }
  });

  it('stores an id posted again after a restart only once', async () => {
    expect(await post(ndjson([event('restart-1')]))).toMatchObject({
      status: 200,
      body: { accepted: 1, duplicates: 0 },
    });
    await stop();
    await start();
    expect(await post(ndjson([event('restart-1'), event('restart-2')]))).toMatchObject({
      status: 200,
      body: { accepted: 2, duplicates: 1 },
    });
    const [row] = await analytics.query({
      name: 'test.count',
      sql: "SELECT count() AS n FROM events WHERE id = 'restart-1'",
      schema: countRow,
    });
    expect(row.n).toBe(1);
  });
});
