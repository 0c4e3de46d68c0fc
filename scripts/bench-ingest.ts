/**
 * npm run bench:ingest [-- --events N --concurrency C --batch B]
 *
 * Posts generated retail events through POST /api/v1/events (real HTTP, the real pipeline, chDB in
 * a temp dir), then times the engine's own `INSERT INTO events FORMAT JSONEachRow` of the same
 * normalised rows, in the same batch sizes, into the same (truncated) tables and views.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '../analytics/clickhouse';
import { migrateAnalytics } from '../analytics/migrate';
import { retailEvents } from '../ingest/bench/retail-event-generator';
import { handleEventsRequest } from '../ingest/http/events-endpoint';
import { createIngestService } from '../ingest/ingest-service';
import { normaliseStep } from '../ingest/pipeline/normalise-step';
import { validateStep } from '../ingest/pipeline/validate-step';
import { createInProcessBus } from '../lib/bus/in-process-bus';
import { validateEvent } from '../lib/events';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number >= 1`);
  return value;
}

const EVENTS = option('events', 1_000_000);
const CONCURRENCY = option('concurrency', 4);
const BATCH = option('batch', 5_000);
const MAX_BODY_BYTES = 1024 * 1024;
const KEY = 'bench-ingest-key-0123456789abcdef';

const rss = { peak: 0 };
const sampler = setInterval(() => (rss.peak = Math.max(rss.peak, process.memoryUsage().rss)), 100);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function vmHwmBytes(): Promise<number> {
  const m = /^VmHWM:\s*(\d+)\s*kB/m.exec(await readFile('/proc/self/status', 'utf8').catch(() => ''));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * The request bodies, built before the clock starts so the figure measures ingest, not the
 * generator: up to --batch events each, and never over the API's 1 MB body limit.
 */
function buildBodies(): Buffer[] {
  const bodies: Buffer[] = [];
  let batch: string[] = [];
  let bytes = 2;
  const close = () => {
    if (batch.length) bodies.push(Buffer.from(`[${batch.join(',')}]`));
    batch = [];
    bytes = 2;
  };
  for (const event of retailEvents({ count: EVENTS, seed: 7 })) {
    const text = JSON.stringify(event);
    if (batch.length === BATCH || bytes + text.length + 1 > MAX_BODY_BYTES) close();
    batch.push(text);
    bytes += text.length + 1;
  }
  close();
  return bodies;
}

function post(port: number, agent: Agent, body: Buffer): Promise<{ status: number; retryAfter: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        port,
        agent,
        method: 'POST',
        path: '/api/v1/events',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Number(res.headers['retry-after'] ?? 1),
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function postAll(port: number, bodies: Buffer[]): Promise<{ seconds: number; accepted: number; busy: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  let accepted = 0;
  let busy = 0;
  const started = performance.now();
  const client = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      for (;;) {
        const answer = await post(port, agent, bodies[i]);
        if (answer.status === 429 || answer.status === 503) {
          busy++;
          await new Promise((r) => setTimeout(r, answer.retryAfter * 100));
          continue;
        }
        if (answer.status !== 200) throw new Error(`POST answered ${answer.status}: ${answer.text.slice(0, 300)}`);
        accepted += z.object({ accepted: z.number() }).parse(JSON.parse(answer.text)).accepted;
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  agent.destroy();
  return { seconds: (performance.now() - started) / 1000, accepted, busy };
}

async function truncateAll(analytics: Analytics): Promise<void> {
  const tables = await analytics.query({
    name: 'bench.list-tables',
    sql: "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine NOT LIKE '%View' AND name != 'schema_migrations'",
    schema: z.object({ name: z.string() }),
  });
  for (const { name } of tables)
    await analytics.command({
      name: 'bench.truncate',
      sql: 'TRUNCATE TABLE {table:Identifier}',
      params: { table: name },
    });
}

/** The same events, normalised exactly as ingest stores them, timed per INSERT only. */
async function engineInsert(analytics: Analytics, bodies: Buffer[]): Promise<number> {
  const receivedAt = new Date().toISOString().slice(0, 23).replace('T', ' ');
  let spent = 0;
  let batches = 0;
  let rows: string[] = [];
  const insert = async () => {
    // A token per batch, as ingest sends: the session would otherwise keep the last one it saw.
    const sql = `INSERT INTO events SETTINGS insert_deduplication_token = 'bench-engine-${batches++}' FORMAT JSONEachRow\n${rows.join('\n')}`;
    rows = [];
    const started = performance.now();
    await analytics.command({ name: 'bench.engine-insert', sql });
    spent += performance.now() - started;
  };
  for (const body of bodies) {
    for (const item of z.array(z.record(z.string(), z.unknown())).parse(JSON.parse(body.toString()))) {
      const valid = validateStep(item);
      if (valid.kind === 'ok') rows.push(JSON.stringify(normaliseStep(valid.value, receivedAt)));
      if (rows.length === BATCH) await insert();
    }
  }
  if (rows.length) await insert();
  return spent / 1000;
}

async function countStored(analytics: Analytics): Promise<number> {
  const [row] = await analytics.query({
    name: 'bench.count',
    sql: 'SELECT uniqExact(id) AS n FROM events',
    schema: z.object({ n: z.coerce.number() }),
  });
  return row.n;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-ingest-'));
  const analytics = await openAnalytics({ dataDir, maxMemoryBytes: 1024 ** 3 });
  await migrateAnalytics(analytics);
  const bus = createInProcessBus();
  const ingest = createIngestService({
    analytics,
    bus,
    maxBatchRows: BATCH,
    maxQueuedRows: Math.max(50_000, BATCH * (CONCURRENCY + 2)),
  });
  const server = createServer((req, res) => void handleEventsRequest(req, res, { ingest, ingestKey: KEY }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  console.log(`generating ${EVENTS} events, up to ${BATCH} and 1 MB per request…`);
  const bodies = buildBodies();
  const bodyBytes = bodies.reduce((n, b) => n + b.length, 0);
  console.log(`  ${bodies.length} request bodies, ${mb(bodyBytes)} MB held in memory for the run`);
  if (!validateEvent(JSON.parse(bodies[0].toString())[0]).ok)
    throw new Error('the generator produced an invalid event');

  console.log(`POST /api/v1/events with ${CONCURRENCY} concurrent clients…`);
  const cpu0 = process.cpuUsage();
  const http = await postAll(port, bodies);
  const cpu1 = process.cpuUsage(cpu0);
  console.log(`  CPU ${((cpu1.user + cpu1.system) / 1e6).toFixed(1)} s over ${http.seconds.toFixed(1)} s wall`);
  // The KPI ledger follows the acknowledgements off their path: how far behind it ended.
  const caughtUp = performance.now();
  await ingest.flush();
  console.log(
    `  KPI ledger caught up ${((performance.now() - caughtUp) / 1000).toFixed(1)} s after the last acknowledgement`,
  );
  const stored = await countStored(analytics);
  const ingestRate = Math.round(EVENTS / http.seconds);
  console.log(
    `  ${http.accepted} accepted, ${stored} stored, ${http.busy} busy answers (retried), ${http.seconds.toFixed(1)} s → ${ingestRate} events/s`,
  );
  if (stored !== EVENTS) throw new Error(`expected ${EVENTS} events stored, found ${stored}`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await ingest.close();

  console.log('engine baseline: INSERT INTO events FORMAT JSONEachRow, same rows, same batches, tables truncated…');
  await truncateAll(analytics);
  const cpu2 = process.cpuUsage();
  const engineSeconds = await engineInsert(analytics, bodies);
  const cpu3 = process.cpuUsage(cpu2);
  console.log(`  CPU ${((cpu3.user + cpu3.system) / 1e6).toFixed(1)} s (including preparing rows)`);
  const engineRate = Math.round(EVENTS / engineSeconds);
  console.log(
    `  ${await countStored(analytics)} stored, ${engineSeconds.toFixed(1)} s inserting → ${engineRate} events/s`,
  );

  clearInterval(sampler);
  await analytics.close();
  await bus.close();
  await rm(dataDir, { recursive: true, force: true });
  const peak = Math.max(rss.peak, await vmHwmBytes());
  console.log(
    `peak RSS ${mb(peak)} MB (sampled ${mb(rss.peak)} MB, VmHWM ${mb(await vmHwmBytes())} MB; includes ${mb(bodyBytes)} MB of prepared bodies)`,
  );
  console.log(
    `ingest events_per_s=${ingestRate} engine_events_per_s=${engineRate} ratio=${(ingestRate / engineRate).toFixed(2)} peak_rss_mb=${mb(peak)}`,
  );
}

main().catch((err: unknown) => {
  console.error(`bench:ingest failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
