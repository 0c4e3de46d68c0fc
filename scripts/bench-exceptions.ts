/**
 * The exception queues under load, through the real product. Posts 10,000 held orders through the
 * ingest API (the engine raises one exception each), then times, server side:
 *   - loading a queue and filtering it (GET /api/exceptions: the first page of each view with its
 *     counts, and the next page as scrolling asks for it), p95 over many calls;
 *   - the closed loop: an ops lead clicks "Release hold" on a sandbox order in one Chromium, and
 *     the row leaves a second Chromium's queue (core → event → ingest → engine → push), p95.
 * Last line: exceptions open=<n> queue_p95_ms=<n> action_roundtrip_p95_ms=<n>
 * Options: --open N (default 10000), --roundtrips N (default 20).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { exceptionPageSchema } from '../lib/exceptions/exception-feed';
import { launchChromium } from '../tests/e2e/support/browser';
import { postEvents } from '../tests/e2e/support/events';
import { signInThroughForm } from '../tests/e2e/support/sign-in';
import { startTower } from '../tests/e2e/support/tower-server';

const { values } = parseArgs({ options: { open: { type: 'string', default: '10000' }, roundtrips: { type: 'string', default: '20' } } });
const openTarget = Number(values.open);
const roundtrips = Number(values.roundtrips);
// Channels the sandbox does not use, so the round trips can filter the queue down to sandbox orders.
const CHANNELS = ['bench-market-a', 'bench-market-b', 'bench-market-c', 'bench-market-d'];
const REGIONS = ['northeast', 'midwest', 'west'];

function p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? NaN;
}

/** order.created then order.held for each: a real cause for the engine to raise. */
function heldOrders(n: number): object[] {
  const at = new Date(Date.now() - 60_000).toISOString();
  return Array.from({ length: n }, (_, i) => {
    const orderId = `bench-${randomUUID()}`;
    return [
      {
        id: `${orderId}-c`,
        type: 'order.created',
        occurred_at: at,
        source: 'bench',
        data: { order_id: orderId, channel: CHANNELS[i % 4], region: REGIONS[i % 3], lines: [{ sku: 'BENCH-1', qty: 1 + (i % 3), unit_price: 10 + (i % 500) }] },
      },
      { id: `${orderId}-h`, type: 'order.held', occurred_at: at, source: 'bench', data: { order_id: orderId, reason: i % 2 ? 'address' : 'fraud_review' } },
    ];
  }).flat();
}

const tower = await startTower({ env: { SANDBOX_RATE: '12', SANDBOX_BACKFILL_DAYS: '1' }, readyTimeoutMs: 300_000 });
const browser = await launchChromium();
try {
  // The sandbox's backfill first: posting alongside it can fill the ingest queue on a slow
  // machine, which stops the backfill (the ingest answers "busy"); then the judging of its history.
  for (;;) {
    const out = tower.output();
    if (/the history judged/.test(out)) break;
    if (/\[sandbox\] stopped/.test(out)) throw new Error(`the sandbox stopped:\n${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`posting ${openTarget} held orders through the ingest API…`);
  const events = heldOrders(openTarget);
  // 2,000 events keep a request under the API's 1 MB limit.
  for (let i = 0; i < events.length; i += 2000) {
    const answer = await postEvents(tower.baseUrl, tower.ingestKey, events.slice(i, i + 2000));
    if (answer.status !== 200) throw new Error(`ingest answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }

  const lead = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  const watcher = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await signInThroughForm(lead, tower.baseUrl, 'ops_lead', '/exceptions');
  await signInThroughForm(watcher, tower.baseUrl, 'admin', '/exceptions');
  const cookie = (await lead.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const api = async (query: string) => {
    const started = performance.now();
    const response = await fetch(`${tower.baseUrl}/api/exceptions?${query}`, { headers: { cookie } });
    const body = exceptionPageSchema.parse(await response.json());
    return { ms: performance.now() - started, body };
  };

  let open = 0;
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
    open = (await api('queue=order_holds')).body.counts?.order_holds ?? 0;
    if (open >= openTarget) break;
  }
  console.log(`${open} open exceptions in Order holds`);

  const second = (await api('queue=order_holds')).body.nextCursor;
  const queries = [
    'queue=order_holds',
    'queue=order_holds&severity=high',
    'queue=order_holds&channel=amazon',
    'queue=order_holds&sort=value&dir=desc',
    'queue=order_holds&assignee=none',
    `queue=order_holds&cursor=${second ?? ''}`,
  ];
  const queueMs: number[] = [];
  for (let round = 0; round < 20; round++) for (const q of queries) queueMs.push((await api(q)).ms);
  console.log(`  queue load and filter: ${queueMs.length} calls, p95 ${p95(queueMs).toFixed(0)} ms`);

  // Only orders the sandbox core knows can be released; the web channel keeps them few, and the
  // table's own order (SLA left) puts the first of them on screen in both browsers.
  const sandboxHolds = (await api('queue=order_holds&channel=web&sort=sla')).body.items;
  for (const page of [lead, watcher]) await page.getByLabel('Channel').selectOption('web');
  const roundtripMs: number[] = [];
  const answeredMs: number[] = [];
  const outputBefore = tower.output().length;
  for (const item of sandboxHolds.slice(0, roundtrips)) {
    const row = (page: Page) => page.locator(`[data-exception-id="${item.id}"]`);
    // The filtered view loads from the server: wait for the row in both browsers (the sandbox may
    // have released a hold meanwhile, which then counts as no round trip).
    const shown = await Promise.all([lead, watcher].map((page) => row(page).waitFor({ timeout: 15_000 }).then(() => true, () => false)));
    if (!shown.every(Boolean)) continue;
    await row(lead).click();
    const button = lead.getByTestId('action-release_hold').getByRole('button', { name: 'Release hold' });
    await button.waitFor();
    const started = performance.now();
    const answered = lead.waitForResponse((r) => r.url().endsWith('/api/actions'), { timeout: 30_000 }).then(
      () => performance.now() - started,
      () => null,
    );
    await button.click();
    await row(watcher).waitFor({ state: 'detached', timeout: 30_000 });
    const gone = performance.now() - started;
    // No action answer: the sandbox released the hold itself as the click landed (not a round trip).
    const answer = await answered;
    if (answer === null) continue;
    roundtripMs.push(gone);
    answeredMs.push(answer);
  }
  console.log(`  release hold → gone from a second browser: ${roundtripMs.length} round trips, p95 ${p95(roundtripMs).toFixed(0)} ms`);
  console.log(`    of which click → action answered: p50 ${p50(answeredMs).toFixed(0)} ms, p95 ${p95(answeredMs).toFixed(0)} ms`);
  console.log(`    round trips (ms): ${roundtripMs.map((ms) => ms.toFixed(0)).join(', ')}`);
  // With TOWER_SLOW_QUERY_MS set, the statements that held the engine during the round trips.
  const slow = tower.output().slice(outputBefore).split('\n').filter((line) => line.includes('[analytics] slow'));
  if (slow.length > 0) console.log(`  slow statements during the round trips (${slow.length}, last 15):\n    ${slow.slice(-15).join('\n    ')}`);
  console.log(`exceptions open=${open} queue_p95_ms=${p95(queueMs).toFixed(0)} action_roundtrip_p95_ms=${p95(roundtripMs).toFixed(0)}`);
} finally {
  await browser.close();
  await tower.stop();
}
