/**
 * Memory of the whole product on its embedded defaults, as a new user first runs it: a fresh data
 * directory, the sandbox backfilling its default history and then streaming, the board open in
 * Chromium. Samples the server process's RSS every second. Last line:
 *   memory peak_rss_mb=<n> streaming_rss_mb=<n> backfill_s=<n>
 * Options: --stream-seconds N (default 120).
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { launchChromium } from '../tests/e2e/support/browser';
import { signInThroughForm } from '../tests/e2e/support/sign-in';
import { startTower } from '../tests/e2e/support/tower-server';

const { values } = parseArgs({ options: { 'stream-seconds': { type: 'string', default: '120' } } });
const streamSeconds = Number(values['stream-seconds']);

/** The largest RSS in the server's process group: the Node process running server.ts (chDB is in it). */
function serverRssMb(groupLeader: number): number {
  const out = execFileSync('ps', ['-o', 'rss=', '-g', String(groupLeader)], { encoding: 'utf8' });
  return Math.max(...out.split('\n').filter(Boolean).map((kb) => Number(kb) / 1024));
}

const tower = await startTower({ env: { SANDBOX_RATE: '12' }, readyTimeoutMs: 300_000 });
const started = Date.now();
let peak = 0;
let streamingPeak = 0;
let backfillSeconds: number | null = null;
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await signInThroughForm(page, tower.baseUrl, 'executive');
  console.log('board open; sampling RSS every second…');
  for (;;) {
    const rss = serverRssMb(tower.pid);
    peak = Math.max(peak, rss);
    const done = /backfill done/.test(tower.output());
    if (done && backfillSeconds === null) {
      backfillSeconds = (Date.now() - started) / 1000;
      console.log(`  backfill done after ${backfillSeconds.toFixed(0)} s, peak so far ${peak.toFixed(0)} MB; streaming for ${streamSeconds} s…`);
    }
    if (backfillSeconds !== null) {
      streamingPeak = Math.max(streamingPeak, rss);
      if ((Date.now() - started) / 1000 - backfillSeconds >= streamSeconds) break;
    }
    if (Date.now() - started > 15 * 60_000) throw new Error('the backfill did not finish within 15 minutes');
    await new Promise((r) => setTimeout(r, 1000));
  }
  const orders = await page.locator('[data-testid="tile-orders-value"]').first().textContent();
  console.log(`  the board's orders tile reads ${orders?.trim() ?? '(missing)'}`);
} finally {
  await browser.close();
  await tower.stop();
}
console.log(`memory peak_rss_mb=${peak.toFixed(0)} streaming_rss_mb=${streamingPeak.toFixed(0)} backfill_s=${backfillSeconds?.toFixed(0)}`);
