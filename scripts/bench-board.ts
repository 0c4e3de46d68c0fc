/**
 * npm run bench:board [-- --events N --days D --runs R --raw-runs R --keep DIR]
 *
 * Generates N events of orders (default 100 million) over D days (default 365), and the stock of
 * 2,000 SKUs in 3 warehouses (a count a day and a receipt a week each: 2.5 M events over 365 days),
 * straight into ClickHouse (chDB, a temp dir) through the same tables and views, builds the KPI
 * ledger, then times the full
 * board refresh — every tile of the catalogue over the last 30 days, without and with a filter —
 * p50/p95, and the same board computed from the raw events without rollups.
 * `--keep DIR` keeps the data in DIR and, on a later run with the same --events and --days,
 * reuses it (building the ledger takes minutes; timing a refresh, seconds); a run cut short while
 * building the ledger builds it again without generating again. `--raw-runs 0` skips
 * the raw baseline, so the last line has no raw figures.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '../analytics/clickhouse';
import { periodsOf, type BoardView } from '../analytics/kpis/board-view';
import { ledgerFamilies } from '../analytics/kpis/families/ledger-families';
import { kpiCatalogue } from '../analytics/kpis/kpi-catalogue';
import type { KpiSources } from '../analytics/kpis/kpi-definition';
import { readKpis, type KpiReading } from '../analytics/kpis/kpi-readings';
import { createKpiLedger } from '../analytics/kpis/ledger/kpi-ledger';
import { migrateAnalytics } from '../analytics/migrate';
import { rawLedgerSource } from './bench-board/raw-ledger-source';
import {
  EVENTS_PER_ORDER,
  orderHistoryStatements,
  productStatement,
  stockHistoryStatements,
} from './bench-board/retail-history-sql';

function option(name: string, fallback: number, least = 1): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < least) throw new Error(`--${name} takes a whole number >= ${least}`);
  return value;
}

function textOption(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}

const EVENTS = option('events', 100_000_000);
const DAYS = option('days', 365);
const RUNS = option('runs', 20);
const RAW_RUNS = option('raw-runs', 3, 0);
const KEEP = textOption('keep');
const ORDERS_PER_CHUNK = 1_000_000;
const GIB = 1024 ** 3;

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function generate(a: Analytics, now: Date): Promise<number> {
  const orders = Math.ceil(EVENTS / EVENTS_PER_ORDER);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const startSeconds = nowSeconds - DAYS * 86_400;
  const stepSeconds = (DAYS * 86_400) / orders;
  await a.command({ name: 'bench.products', sql: productStatement(startSeconds - 86_400) });
  for (const statement of stockHistoryStatements(startSeconds, DAYS)) {
    await a.command({
      name: `bench.generate.${statement.type}`,
      sql: statement.sql,
      params: { now: nowSeconds },
      timeoutMs: 30 * 60_000,
    });
  }
  for (let from = 0; from < orders; from += ORDERS_PER_CHUNK) {
    const to = Math.min(orders, from + ORDERS_PER_CHUNK);
    // Integer spacing keeps the SQL exact; the chunk's own start absorbs the fraction.
    const chunkStart = Math.floor(startSeconds + from * stepSeconds);
    const shape = {
      from,
      to,
      startSeconds: chunkStart - Math.floor(from * Math.max(1, Math.floor(stepSeconds))),
      stepSeconds: Math.max(1, Math.floor(stepSeconds)),
      nowSeconds,
    };
    for (const statement of orderHistoryStatements(shape)) {
      await a.command({
        name: `bench.generate.${statement.type}`,
        sql: statement.sql,
        params: { now: nowSeconds },
        timeoutMs: 30 * 60_000,
      });
    }
    process.stdout.write(`\r  orders ${to.toLocaleString('en-US')} / ${orders.toLocaleString('en-US')}`);
  }
  process.stdout.write('\n');
  const [row] = await a.query({
    name: 'bench.count',
    sql: 'SELECT count() AS n FROM events',
    schema: z.object({ n: z.number() }),
  });
  return row?.n ?? 0;
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const VIEWS: BoardView[] = [{ range: '30d' }, { range: '30d', channel: 'web' }];

/** Each refresh's time, and the last refresh's readings of each view. */
async function timeBoards(
  sources: KpiSources,
  now: Date,
  runs: number,
): Promise<{ times: number[]; readings: KpiReading[][] }> {
  const times: number[] = [];
  const readings: KpiReading[][] = [];
  for (let i = 0; i < runs; i++) {
    for (const [v, view] of VIEWS.entries()) {
      const started = performance.now();
      const filters = view.channel ? { channel: view.channel } : {};
      // A fresh sources object: nothing a custom KPI keeps per board computation (the stock
      // ageing) carries over from one refresh to the next.
      readings[v] = await readKpis({ ...sources }, kpiCatalogue, { periods: periodsOf(view, now), filters, now });
      times.push(performance.now() - started);
      if (readings[v].length !== kpiCatalogue.length) throw new Error('the board came back without every tile');
    }
  }
  return { times, readings };
}

/** Tiles whose value, previous value or trend differs between two boards' readings of the same views. */
function disagreements(ledger: KpiReading[][], raw: KpiReading[][]): string[] {
  const same = (x: number | null, y: number | null) =>
    x === y || (x !== null && y !== null && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y)));
  return ledger.flatMap((readings, v) =>
    readings.flatMap((reading, i) => {
      const other = raw[v][i];
      const series = reading.series.every((point, j) => same(point.value, other.series[j]?.value ?? null));
      if (same(reading.value, other.value) && same(reading.previous, other.previous) && series) return [];
      return [
        `${reading.key} (${JSON.stringify(VIEWS[v])}): ${reading.value} vs ${other.value}, previous ${reading.previous} vs ${other.previous}${series ? '' : ', trend differs'}`,
      ];
    }),
  );
}

/** Time spent per statement name during board refreshes: where a slow board spends it. */
const statementTimes = new Map<string, { count: number; ms: number }>();
function timed(a: Analytics): Analytics {
  return {
    ...a,
    engine: a.engine,
    async query(q) {
      const started = performance.now();
      try {
        return await a.query(q);
      } finally {
        const entry = statementTimes.get(q.name) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += performance.now() - started;
        statementTimes.set(q.name, entry);
      }
    },
    inOneTurn: (work, lane) => a.inOneTurn((turn) => work(timed(turn)), lane),
  };
}

/** What a kept data dir holds: the generation's `now` places the timed 30 days on the same data. */
const keptSchema = z.object({
  events: z.number(),
  days: z.number(),
  generated: z.number(),
  now: z.string(),
  /** False while the ledger is not built yet: a run cut short there rebuilds it without generating again. */
  built: z.boolean().default(true),
  /** False for data generated before the history had stock (counts and receipts). */
  stock: z.boolean().default(false),
});
type Kept = z.infer<typeof keptSchema>;
const keptFile = (dir: string) => path.join(dir, 'bench-board.json');

async function readKept(dir: string): Promise<Kept | null> {
  const text = await readFile(keptFile(dir), 'utf8').catch(() => null);
  const kept = text === null ? null : keptSchema.parse(JSON.parse(text));
  return kept && kept.events === EVENTS && kept.days === DAYS ? kept : null;
}

async function generateKept(a: Analytics, now: Date): Promise<Kept> {
  console.log(`bench:board — generating ${EVENTS.toLocaleString('en-US')} events over ${DAYS} days in ${dataDir}`);
  const started = Date.now();
  const generated = await generate(a, now);
  console.log(`  generated ${generated.toLocaleString('en-US')} events in ${seconds(Date.now() - started)} s`);
  const record: Kept = { events: EVENTS, days: DAYS, generated, now: now.toISOString(), built: false, stock: true };
  if (KEEP) await writeFile(keptFile(dataDir), JSON.stringify(record));
  return record;
}

async function buildLedger(a: Analytics, record: Kept): Promise<void> {
  const started = Date.now();
  await createKpiLedger(a, ledgerFamilies).rebuild();
  for (const table of [
    'kpi_ledger_daily',
    'kpi_ledger_daily_slices',
    'kpi_ledger_hourly_slices',
    'kpi_ledger_monthly',
    'kpi_ledger_monthly_slices',
  ]) {
    await a.command({ name: 'bench.optimize', sql: `OPTIMIZE TABLE ${table} FINAL`, timeoutMs: 30 * 60_000 });
  }
  console.log(`  built the KPI ledger in ${seconds(Date.now() - started)} s`);
  if (KEEP) await writeFile(keptFile(dataDir), JSON.stringify({ ...record, built: true }));
}

/**
 * Waits until the engine merges no parts, as a server settles after a bulk load: merging the
 * contributions of a 100 M build takes both cores for many minutes, and a board timed meanwhile
 * times the merges. An hour at most.
 */
async function waitForMerges(a: Analytics): Promise<void> {
  const started = Date.now();
  let quiet = 0;
  while (quiet < 3 && Date.now() - started < 3_600_000) {
    const [row] = await a.query({
      name: 'bench.merges',
      sql: 'SELECT count() AS n FROM system.merges',
      schema: z.object({ n: z.number() }),
    });
    quiet = row.n === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  console.log(`  waited ${seconds(Date.now() - started)} s for the engine's merges`);
}

const dataDir = KEEP ? path.resolve(KEEP) : await mkdtemp(path.join(os.tmpdir(), 'bench-board-'));
if (KEEP) await mkdir(dataDir, { recursive: true });
const kept = KEEP ? await readKept(dataDir) : null;
if (KEEP && !kept) await rm(path.join(dataDir, 'clickhouse'), { recursive: true, force: true });
const engine = await openAnalytics({ dataDir, maxMemoryBytes: 12 * GIB });
const analytics = timed(engine);
try {
  await migrateAnalytics(analytics);
  const record = kept ?? (await generateKept(analytics, new Date()));
  if (kept) {
    console.log(
      `bench:board — reusing ${kept.generated.toLocaleString('en-US')} events generated at ${kept.now} in ${dataDir}${kept.stock ? '' : ' (no stock events: generated before the history had them)'}`,
    );
  }
  if (!record.built) await buildLedger(analytics, record);
  await waitForMerges(analytics);
  const now = new Date(record.now);
  const events = record.generated;

  await timeBoards({ analytics }, now, 1); // warm-up
  statementTimes.clear();
  const cpu = process.cpuUsage();
  const { times: board, readings } = await timeBoards({ analytics }, now, RUNS);
  // chDB runs in this process: its threads' time counts here, what a refresh costs a busy server.
  const { user, system } = process.cpuUsage(cpu);
  const perRefresh = [...statementTimes.entries()].sort((x, y) => y[1].ms - x[1].ms).slice(0, 6);
  console.log(
    `  per refresh: ${perRefresh.map(([name, t]) => `${name} ${(t.ms / board.length).toFixed(1)} ms × ${(t.count / board.length).toFixed(1)}`).join(', ')}`,
  );
  console.log(`  CPU per refresh (every thread): ${((user + system) / 1000 / board.length).toFixed(1)} ms`);
  console.log(
    `  board (${kpiCatalogue.length} tiles, 30 days, with and without a filter): p50 ${percentile(board, 0.5).toFixed(1)} ms, p95 ${percentile(board, 0.95).toFixed(1)} ms over ${board.length} refreshes`,
  );
  const p50 = percentile(board, 0.5).toFixed(1);
  const p95 = percentile(board, 0.95);
  if (RAW_RUNS === 0) {
    console.log(`board events=${events} p50_ms=${p50} p95_ms=${p95.toFixed(1)}`);
  } else {
    const { times: raw, readings: rawReadings } = await timeBoards(
      { analytics, ledgerSource: await rawLedgerSource(analytics, ledgerFamilies) },
      now,
      RAW_RUNS,
    );
    const rawP95 = percentile(raw, 0.95);
    console.log(
      `  raw events, no rollups: p50 ${percentile(raw, 0.5).toFixed(0)} ms, p95 ${rawP95.toFixed(0)} ms over ${raw.length} refreshes`,
    );
    const differing = disagreements(readings, rawReadings);
    console.log(
      differing.length === 0
        ? `  the raw board and the ledger's agree on every tile of both views (values, previous values, trends)`
        : `  the raw board and the ledger's disagree on ${differing.length} tiles:\n    ${differing.join('\n    ')}`,
    );
    console.log(
      `board events=${events} p50_ms=${p50} p95_ms=${p95.toFixed(1)} raw_p95_ms=${rawP95.toFixed(0)} speedup=${(rawP95 / p95).toFixed(1)}`,
    );
  }
} finally {
  await engine.close();
  if (!KEEP) await rm(dataDir, { recursive: true, force: true });
}
