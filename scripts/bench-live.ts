/**
 * Live latency through the real product: an event posted to the ingest API → the tile that counts
 * it changes on every open board. Starts the product as a child (embedded mode, the sandbox
 * feeding it as by default), opens N socket.io clients signed in as the executive on one board
 * view, posts orders through the HTTP API at a steady rate, and times, per client, post → push
 * of a snapshot whose "orders" tile counts the order. The orders use a channel of their own and
 * the view filters on it, so the sandbox's orders do not move the tile being watched. An untimed
 * warm-up order first waits out the ledger's catch-up on the sandbox's backfill.
 * Last line: live events=<n> viewers=<n> p50_ms=<n> p95_ms=<n>
 * Options: --viewers N (default 20), --seconds N (default 60), --rate N orders/s (default 2),
 *          --sandbox-rate N (default 12, the product's own default), --backfill-days N (default 1).
 * With TOWER_SLOW_QUERY_MS=1 it sums the window's analytics statements by name (where chDB's time
 * went); BENCH_LIVE_SERVER_LOG=<file> keeps the server's whole output; BENCH_CPU_PROF=1 starts the
 * server with --cpu-prof (profiles in /tmp/prof).
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { boardPushSchema } from '../analytics/board/board-snapshot';
import { postEvents } from '../tests/e2e/support/events';
import { demoCredentials } from '../tests/e2e/support/sign-in';
import { startTower } from '../tests/e2e/support/tower-server';

const { values } = parseArgs({
  options: {
    viewers: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '2' },
    'sandbox-rate': { type: 'string', default: '12' },
    'backfill-days': { type: 'string', default: '1' },
  },
});
const viewers = Number(values.viewers);
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const CHANNEL = 'bench-live';
const VIEW = `channel=${CHANNEL}`;

/** The `[analytics] slow:` lines (TOWER_SLOW_QUERY_MS) summed per statement name, most running time first. */
function statementTotals(lines: readonly string[]) {
  const totals = new Map<string, { name: string; count: number; ranMs: number; waitedMs: number }>();
  for (const line of lines) {
    const m = /\[analytics\] slow: (\S+) ran (\d+) ms after waiting (\d+) ms/.exec(line);
    if (!m) continue;
    const t = totals.get(m[1]) ?? { name: m[1], count: 0, ranMs: 0, waitedMs: 0 };
    t.count++;
    t.ranMs += Number(m[2]);
    t.waitedMs += Number(m[3]);
    totals.set(m[1], t);
  }
  return [...totals.values()].sort((a, b) => b.ranMs - a.ranMs);
}

function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? NaN;
}

function order(): object {
  const orderId = `bench-live-${randomUUID()}`;
  return {
    id: `${orderId}-c`,
    type: 'order.created',
    occurred_at: new Date().toISOString(),
    source: 'bench',
    data: {
      order_id: orderId,
      channel: CHANNEL,
      region: 'west',
      lines: [{ sku: 'BENCH-LIVE-1', qty: 1, unit_price: 10 }],
    },
  };
}

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify(demoCredentials('executive')),
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A board client: watches the view and records when each count of the orders tile first showed. */
function openViewer(baseUrl: string, cookie: string): Promise<{ socket: Socket; shownAt: Map<number, number> }> {
  const shownAt = new Map<number, number>();
  const socket = io(baseUrl, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie } });
  socket.on('board', (payload: unknown) => {
    const at = performance.now();
    const push = boardPushSchema.parse(payload);
    const count = push.snapshot.tiles.find((t) => t.key === 'orders')?.value ?? 0;
    for (let n = 1; n <= count; n++) if (!shownAt.has(n)) shownAt.set(n, at);
  });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => {
      socket.emit('board:watch', VIEW, (answer: { room?: string; error?: string }) =>
        answer.room === undefined ? reject(new Error(answer.error)) : resolve({ socket, shownAt }),
      );
    });
  });
}

const tower = await startTower({
  env: { SANDBOX_RATE: values['sandbox-rate'] ?? '12', SANDBOX_BACKFILL_DAYS: values['backfill-days'] ?? '1' },
  readyTimeoutMs: 300_000,
});
const clients: Socket[] = [];
try {
  if (Number(values['sandbox-rate']) > 0) {
    // Posting alongside the sandbox's backfill, or the judging of its history, would time those,
    // not the live path.
    for (;;) {
      const out = tower.output();
      if (/the history judged/.test(out)) break;
      if (/\[sandbox\] stopped/.test(out)) throw new Error(`the sandbox stopped:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const cookie = await signIn(tower.baseUrl);
  const opened = await Promise.all(Array.from({ length: viewers }, () => openViewer(tower.baseUrl, cookie)));
  clients.push(...opened.map((v) => v.socket));
  // One order first, timed by nobody: the ledger may still be applying the backfill, and the
  // figure is the live path once it has caught up, not the catch-up.
  const warmUp = await postEvents(tower.baseUrl, tower.ingestKey, [order()]);
  if (warmUp.status !== 200) throw new Error(`ingest answered ${warmUp.status}: ${JSON.stringify(warmUp.body)}`);
  for (const deadline = Date.now() + 600_000; !opened.every((v) => v.shownAt.has(1));) {
    if (Date.now() > deadline) throw new Error('the warm-up order never showed on every board');
    await new Promise((r) => setTimeout(r, 200));
  }
  const base = 1;
  console.log(`${viewers} viewers on "${VIEW}"; posting ${rate} orders/s for ${seconds} s…`);

  const outputBefore = tower.output().length;
  const postedAt: number[] = [];
  const started = performance.now();
  const total = Math.round(seconds * rate);
  const acks: Promise<number>[] = [];
  // On the clock, not after the previous answer: a slow acknowledgement must not slow the rate.
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
    const at = performance.now();
    postedAt.push(at);
    acks.push(
      postEvents(tower.baseUrl, tower.ingestKey, [order()]).then((answer) => {
        if (answer.status !== 200) throw new Error(`ingest answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        return performance.now() - at;
      }),
    );
  }
  const ackMs = await Promise.all(acks);
  console.log(
    `  post → acknowledged: p50 ${percentile(ackMs, 0.5).toFixed(0)} ms, p95 ${percentile(ackMs, 0.95).toFixed(0)} ms`,
  );
  // Order n is on a board once its orders tile reads base + n or more (posts may overlap, so this
  // times the n-th order to show against the n-th posted).
  const everyoneSaw = () => opened.every((v) => v.shownAt.has(base + total));
  for (const deadline = Date.now() + 60_000; !everyoneSaw() && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const gaveUpAt = performance.now();
  const latencies: number[] = [];
  let missing = 0;
  for (const viewer of opened) {
    postedAt.forEach((at, i) => {
      const shown = viewer.shownAt.get(base + i + 1);
      if (shown === undefined) missing++;
      // One never shown counts as shown when we gave up: a lower bound, never left out.
      latencies.push(Math.max(0, (shown ?? gaveUpAt) - at));
    });
  }
  if (missing > 0) console.log(`  ${missing} (order, viewer) pairs never showed within 60 s of the last post`);
  console.log(`  post → tile push: ${latencies.length} samples, max ${Math.max(...latencies).toFixed(0)} ms`);
  // Where the time went, as the server saw it: slow board rounds and ledger trouble, and with
  // TOWER_SLOW_QUERY_MS=1 every analytics statement of the measured window, summed by name.
  const window = tower.output().slice(outputBefore).split('\n');
  const notes = window.filter((line) => /\[board\]|\[kpi-ledger\]/.test(line));
  if (notes.length > 0) console.log(`  server notes (${notes.length}, last 5):\n    ${notes.slice(-5).join('\n    ')}`);
  const statements = statementTotals(window);
  if (statements.length > 0) {
    const busy = statements.reduce((acc, s) => acc + s.ranMs, 0);
    console.log(`  analytics statements of the window (${(busy / 1000).toFixed(1)} s running, most first):`);
    for (const s of statements.slice(0, 12))
      console.log(`    ${s.name.padEnd(44)} ×${String(s.count).padStart(4)}  ${(s.ranMs / 1000).toFixed(1).padStart(5)} s  avg ${(s.ranMs / s.count).toFixed(0)} ms, waited avg ${(s.waitedMs / s.count).toFixed(0)} ms`);
  }
  if (process.env.BENCH_LIVE_SERVER_LOG) await writeFile(process.env.BENCH_LIVE_SERVER_LOG, tower.output());
  console.log(
    `live events=${total} viewers=${viewers} p50_ms=${percentile(latencies, 0.5).toFixed(0)} p95_ms=${percentile(latencies, 0.95).toFixed(0)}`,
  );
} finally {
  for (const socket of clients) socket.disconnect();
  await tower.stop();
}
