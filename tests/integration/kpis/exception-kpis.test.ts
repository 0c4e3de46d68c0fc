import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { periodsOf, type BoardFilters, type BoardView } from '@/analytics/kpis/board-view';
import { kpiCatalogue } from '@/analytics/kpis/kpi-catalogue';
import { readKpis, type KpiReading } from '@/analytics/kpis/kpi-readings';
import { openTransactionalStore, type TransactionalStore } from '@/lib/db/transactional-store';
import { exceptionQueues, severities, type ExceptionQueue, type Severity } from '@/lib/exceptions/exception-item';
import { transitionExceptions } from '@/lib/exceptions/exception-transitions';
import { reconcileConditions } from '@/lib/exceptions/reconcile-conditions';
import { migrateExceptionWorkflow } from '@/lib/exceptions/workflow-schema';
import { openPgSchemaStore } from '../../support/pg-schema';

// Exception backlog and time to resolve, read from the workflow store on PostgreSQL and on
// PGlite. Items are opened, claimed, snoozed and resolved (by hand and by their cause clearing)
// at known times through the workflow's own functions; the expected numbers come from this list.
const NOW = new Date('2026-05-20T12:00:00.000Z');
const LEAD = { id: 'u-lead', name: 'Lead' };

interface Item {
  key: string;
  queue: ExceptionQueue;
  severity: Severity;
  channel: string | null;
  warehouse: string | null;
  opened: string;
  resolved?: { at: string; by: 'person' | 'cause_cleared' };
  claimed?: string;
  snoozed?: string;
}

const items: Item[] = [
  {
    key: 'E1',
    queue: 'order_holds',
    severity: 'critical',
    channel: 'web',
    warehouse: 'east',
    opened: '2026-05-20T08:00:00Z',
  },
  {
    key: 'E2',
    queue: 'order_holds',
    severity: 'high',
    channel: 'web',
    warehouse: 'west',
    opened: '2026-05-19T10:00:00Z',
    resolved: { at: '2026-05-20T09:00:00Z', by: 'person' },
  },
  {
    key: 'E3',
    queue: 'carrier_issues',
    severity: 'medium',
    channel: 'amazon',
    warehouse: 'east',
    opened: '2026-05-18T06:00:00Z',
    resolved: { at: '2026-05-19T06:30:00Z', by: 'cause_cleared' },
  },
  {
    key: 'E4',
    queue: 'returns_refunds',
    severity: 'low',
    channel: null,
    warehouse: null,
    opened: '2026-05-15T00:00:00Z',
    claimed: '2026-05-16T09:00:00Z',
  },
  {
    key: 'E5',
    queue: 'stock_shortages',
    severity: 'high',
    channel: 'b2b',
    warehouse: 'west',
    opened: '2026-05-20T11:00:00Z',
    snoozed: '2026-05-20T11:10:00Z',
  },
  {
    key: 'E6',
    queue: 'fulfilment_delays',
    severity: 'critical',
    channel: 'web',
    warehouse: 'east',
    opened: '2026-05-19T20:00:00Z',
    resolved: { at: '2026-05-20T11:30:00Z', by: 'cause_cleared' },
  },
  {
    key: 'E7',
    queue: 'integration_failures',
    severity: 'medium',
    channel: null,
    warehouse: null,
    opened: '2026-05-13T09:00:00Z',
    resolved: { at: '2026-05-14T09:00:00Z', by: 'person' },
  },
  {
    key: 'E8',
    queue: 'inventory_discrepancies',
    severity: 'low',
    channel: 'amazon',
    warehouse: 'west',
    opened: '2026-05-20T10:00:00Z',
    claimed: '2026-05-20T10:05:00Z',
    resolved: { at: '2026-05-20T10:45:00Z', by: 'person' },
  },
  {
    key: 'E9',
    queue: 'order_holds',
    severity: 'medium',
    channel: 'web',
    warehouse: 'east',
    opened: '2026-05-17T12:00:00Z',
    resolved: { at: '2026-05-19T13:00:00Z', by: 'cause_cleared' },
  },
];

const t = (iso: string) => Date.parse(iso);
const matches = (i: Item, f: BoardFilters) =>
  (!f.channel || i.channel === f.channel) && (!f.warehouse || i.warehouse === f.warehouse);
const openAt = (at: Date, f: BoardFilters) =>
  items.filter((i) => matches(i, f) && t(i.opened) < at.getTime() && (!i.resolved || t(i.resolved.at) >= at.getTime()));
function resolutionHours(period: { from: Date; to: Date }, f: BoardFilters): number[] {
  return items
    .filter((i) => matches(i, f) && i.resolved)
    .filter((i) => t(i.resolved?.at ?? '') >= period.from.getTime() && t(i.resolved?.at ?? '') < period.to.getTime())
    .map((i) => (t(i.resolved?.at ?? '') - t(i.opened)) / 3_600_000);
}
function nearestRank(values: number[], q: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

/** Puts every item through the workflow in time order, as the engine and the leads would. */
async function playItems(store: TransactionalStore): Promise<void> {
  await migrateExceptionWorkflow(store.db);
  const steps = items.flatMap((i) => [
    { at: i.opened, run: () => open(store, i) },
    ...(i.claimed ? [{ at: i.claimed, run: () => transition(store, i, { kind: 'claim' }, i.claimed ?? '') }] : []),
    ...(i.snoozed
      ? [
          {
            at: i.snoozed,
            run: () =>
              transition(store, i, { kind: 'snooze', until: new Date('2026-05-21T09:00:00Z') }, i.snoozed ?? ''),
          },
        ]
      : []),
    ...(i.resolved ? [{ at: i.resolved.at, run: () => resolve(store, i) }] : []),
  ]);
  for (const step of steps.sort((a, b) => t(a.at) - t(b.at))) await step.run();
}

const ids = new Map<string, string>();

async function open(store: TransactionalStore, i: Item) {
  const { upserted } = await reconcileConditions(
    store.db,
    { rule: `kpi_${i.key}` },
    [
      {
        queue: i.queue,
        rule: `kpi_${i.key}`,
        dedupeKey: `kpi:${i.key}`,
        severity: i.severity,
        summary: i.key,
        valueAtRisk: 0,
        currency: 'USD',
        entities: [{ kind: 'order', id: `SO-${i.key}` }],
        warehouse: i.warehouse,
        channel: i.channel,
        beganAt: i.opened,
      },
    ],
    { now: new Date(i.opened), slaMinutes: 60 },
  );
  ids.set(`${store.kind}:${i.key}`, upserted[0].id);
}

async function transition(
  store: TransactionalStore,
  i: Item,
  request: Parameters<typeof transitionExceptions>[3],
  at: string,
) {
  const id = ids.get(`${store.kind}:${i.key}`) ?? '';
  const { done } = await transitionExceptions(store.db, [id], LEAD, request, null, new Date(at));
  expect(done).toHaveLength(1);
}

async function resolve(store: TransactionalStore, i: Item) {
  const at = i.resolved?.at ?? '';
  if (i.resolved?.by === 'person') return transition(store, i, { kind: 'resolve' }, at);
  const { resolved } = await reconcileConditions(store.db, { rule: `kpi_${i.key}` }, [], {
    now: new Date(at),
    slaMinutes: 60,
  });
  expect(resolved).toHaveLength(1);
}

let analytics: Analytics;
let pg: Awaited<ReturnType<typeof openPgSchemaStore>>;
let pglite: TransactionalStore;

beforeAll(async () => {
  // The exception KPIs read no ledger metric; the engine is there because readKpis takes one.
  analytics = await openAnalytics({
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'kpi-exc-')),
    maxMemoryBytes: 1 << 28,
  });
  pg = await openPgSchemaStore('kpi_exc');
  pglite = await openTransactionalStore({ dataDir: await mkdtemp(path.join(os.tmpdir(), 'kpi-exc-pglite-')) });
  await playItems(pg.store);
  await playItems(pglite);
});

afterAll(async () => {
  await pg?.drop();
  await pglite?.close();
  await analytics?.close();
});

async function board(store: TransactionalStore, range: BoardView['range'], filters: BoardFilters = {}) {
  const kpis = kpiCatalogue.filter((k) => k.section === 'exceptions');
  const periods = periodsOf({ range } as BoardView, NOW);
  const readings = await readKpis({ analytics, store }, kpis, { periods, filters, now: NOW });
  return { periods, readings: new Map<string, KpiReading>(readings.map((r) => [r.key, r])) };
}
const part = (r: KpiReading | undefined, key: string) => r?.parts.find((p) => p.key === key)?.value;

describe.each([
  ['PostgreSQL', () => pg.store],
  ['PGlite', () => pglite],
])('exception KPIs on %s', (_name, storeOf) => {
  it('backlog: items open at the end of the range, by severity and queue, then and a day before', async () => {
    for (const filters of [{}, { channel: 'web' }, { warehouse: 'west' }] as BoardFilters[]) {
      const { periods, readings } = await board(storeOf(), 'today', filters);
      const backlog = readings.get('exception_backlog');
      const open = openAt(periods.current.to, filters);
      expect(backlog?.value).toBe(open.length);
      expect(backlog?.previous).toBe(openAt(periods.previous.to, filters).length);
      for (const severity of severities)
        expect(part(backlog, `severity_${severity}`)).toBe(open.filter((i) => i.severity === severity).length);
      for (const queue of exceptionQueues)
        expect(part(backlog, `queue_${queue}`)).toBe(open.filter((i) => i.queue === queue).length);
    }
    const { readings } = await board(storeOf(), 'today');
    expect(readings.get('exception_backlog')?.value).toBeGreaterThan(1);
  });

  it('time to resolve: exact p90 and p50 in hours over the items resolved in the range', async () => {
    for (const [range, filters] of [
      ['today', {}],
      ['7d', {}],
      ['7d', { channel: 'web' }],
    ] as [BoardView['range'], BoardFilters][]) {
      const { periods, readings } = await board(storeOf(), range, filters);
      const mttr = readings.get('exception_mttr');
      const hours = resolutionHours(periods.current, filters);
      expect(hours.length).toBeGreaterThan(1);
      expect(mttr?.value).toBeCloseTo(nearestRank(hours, 0.9) ?? NaN, 9);
      expect(part(mttr, 'p50')).toBeCloseTo(nearestRank(hours, 0.5) ?? NaN, 9);
      const before = nearestRank(resolutionHours(periods.previous, filters), 0.9);
      if (before === null) expect(mttr?.previous).toBeNull();
      else expect(mttr?.previous).toBeCloseTo(before, 9);
    }
  });

  it('one board read asks the store once per KPI and period, however many parts the tiles have', async () => {
    const store = storeOf();
    let queries = 0;
    const counted: TransactionalStore = {
      ...store,
      db: store.db.withPlugin({
        transformQuery: (args) => {
          queries++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      }),
    };
    const { readings } = await board(counted, 'today');
    expect(readings.get('exception_backlog')?.parts.length).toBe(severities.length + exceptionQueues.length);
    // backlog and time to resolve, each for the range and the one before
    expect(queries).toBe(4);
  });

  it('a later board read sees a change made since the one before', async () => {
    const store = storeOf();
    const first = (await board(store, 'today')).readings.get('exception_backlog')?.value ?? 0;
    const id = ids.get(`${store.kind}:E1`) ?? '';
    await transitionExceptions(store.db, [id], LEAD, { kind: 'resolve' }, null, new Date('2026-05-20T11:45:00Z'));
    expect((await board(store, 'today')).readings.get('exception_backlog')?.value).toBe(first - 1);
  });
});
