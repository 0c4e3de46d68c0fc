/**
 * npm run bench:first-start [-- --days N]
 *
 * A fresh install's first start, as `npm start` runs it: the product in a temp data directory with
 * the sandbox backfilling N days (default 3) at its default rate, timed to "ready" and to
 * "backfill done", and to the exceptions judged on the history that came in. With
 * TOWER_SLOW_QUERY_MS set, the slow statements of both stores are listed.
 * Last line: first-start days=<n> events=<n> ready_ms=<n> backfill_ms=<n> judged_ms=<n>
 */
import { parseArgs } from 'node:util';
import { startTower } from '../tests/e2e/support/tower-server';

const { values } = parseArgs({ options: { days: { type: 'string', default: '3' } } });
const started = Date.now();
const env: Record<string, string> = { SANDBOX_RATE: '12', SANDBOX_BACKFILL_DAYS: values.days };
if (process.env.TOWER_SLOW_QUERY_MS) env.TOWER_SLOW_QUERY_MS = process.env.TOWER_SLOW_QUERY_MS;
const tower = await startTower({ env, readyTimeoutMs: 300_000 });
try {
  const readyMs = Date.now() - started;
  while (!/backfill done/.test(tower.output())) {
    if (/\[sandbox\] stopped|backfill failed/.test(tower.output())) throw new Error(tower.output().slice(-2000));
    await new Promise((r) => setTimeout(r, 500));
  }
  const backfillMs = Date.now() - started;
  while (!/the history judged/.test(tower.output())) {
    if (/sweep after the history failed/.test(tower.output())) throw new Error(tower.output().slice(-2000));
    await new Promise((r) => setTimeout(r, 500));
  }
  const judgedMs = Date.now() - started;
  const lines = tower.output().split('\n');
  for (const line of lines.filter((l) => /\[store\] slow|\[analytics\] slow/.test(l))) console.log(`  ${line.slice(0, 200)}`);
  const events = /backfill done: \d+ orders, (\d+) events/.exec(tower.output())?.[1] ?? '0';
  console.log(`first-start days=${values.days} events=${events} ready_ms=${readyMs} backfill_ms=${backfillMs} judged_ms=${judgedMs}`);
} finally {
  await tower.stop();
}
