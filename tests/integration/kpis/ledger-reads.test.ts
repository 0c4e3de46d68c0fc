import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { DIMENSIONS, type Dimension } from '@/analytics/kpis/board-view';
import {
  BEGINNING,
  readLedgerSlices,
  wholeHours,
  type LedgerFilters,
  type LedgerSlice,
  type LedgerSum,
} from '@/analytics/kpis/ledger/read-ledger';
import { migrateAnalytics } from '@/analytics/migrate';

// A board's slices overlap (the range before, the balance at its start, the steps of both) and are
// read together: one SELECT per table and filter, each stretch of time read once, each slice adding
// up the stretches it covers. Here ledger rows written straight into the hourly ledger (the daily,
// monthly and per-slice sums follow from it) are summed in the test for every slice — odd hours at
// either end, months, overlaps, trends by hour and day, groups by dimension and detail, filters of
// none, one and two dimensions — and compared with one read of all of them.

interface LedgerRow {
  metric: string;
  hour: string;
  channel: string;
  region: string;
  warehouse: string;
  category: string;
  carrier: string;
  supplier: string;
  detail: string;
  bucket: number;
  value: number;
}

const HOUR = 3_600_000;
const CHANNELS = ['web', 'amazon', 'b2b'];
const WAREHOUSES = ['east', 'west'];
const METRICS = ['test.flow', 'test.level', 'test.sketch'];

/** A fixed pseudo-random walk: the same rows on every run. */
function ledgerRows(): LedgerRow[] {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const rows: LedgerRow[] = [];
  const first = Date.parse('2025-09-28T00:00:00Z');
  const last = Date.parse('2026-03-10T16:00:00Z');
  for (let t = first; t < last; t += (1 + next(4)) * HOUR) {
    const metric = METRICS[next(3)];
    const row: LedgerRow = {
      metric,
      hour: new Date(t).toISOString().slice(0, 19).replace('T', ' '),
      channel: CHANNELS[next(3)],
      region: ['north', 'south'][next(2)],
      warehouse: WAREHOUSES[next(2)],
      category: 'shoes',
      carrier: '',
      supplier: '',
      detail: metric === 'test.level' ? ['', 'held', 'late'][next(3)] : '',
      bucket: metric === 'test.sketch' ? 1 + next(4) : 0,
      value: (next(40) - 12) / 4,
    };
    rows.push(row);
    // Now and then the same key again, cancelling: a sum of zero is no sum at all.
    if (next(6) === 0) rows.push({ ...row, value: -row.value });
  }
  return rows;
}

const at = (iso: string) => new Date(iso);

/** Slices as a board, its breakdowns and its drill-downs ask for them, overlapping on purpose. */
const SLICES: LedgerSlice[] = [
  {
    metrics: ['test.flow', 'test.sketch'],
    period: { from: at('2026-02-03T05:20:00Z'), to: at('2026-03-10T15:30:00Z') },
    groupBy: 'day',
  },
  {
    metrics: ['test.flow'],
    period: { from: at('2026-01-04T05:20:00Z'), to: at('2026-02-03T05:20:00Z') },
    groupBy: 'none',
  },
  { metrics: ['test.level'], period: { from: BEGINNING, to: at('2026-01-04T05:00:00Z') }, groupBy: 'none' },
  {
    metrics: ['test.level'],
    period: { from: at('2026-01-04T05:20:00Z'), to: at('2026-02-03T05:20:00Z') },
    groupBy: 'day',
  },
  {
    metrics: ['test.level'],
    period: { from: at('2026-01-04T05:00:00Z'), to: at('2026-02-03T00:00:00Z') },
    groupBy: 'none',
  },
  {
    metrics: ['test.level', 'test.flow'],
    period: { from: at('2026-03-10T00:00:00Z'), to: at('2026-03-10T15:30:00Z') },
    groupBy: 'hour',
  },
  {
    metrics: ['test.flow'],
    period: { from: at('2026-01-01T00:00:00Z'), to: at('2026-02-01T00:00:00Z') },
    groupBy: 'channel',
  },
  { metrics: ['test.level'], period: { from: BEGINNING, to: at('2026-02-20T10:00:00Z') }, groupBy: 'detail' },
  {
    metrics: ['test.sketch'],
    period: { from: at('2026-02-20T10:00:00Z'), to: at('2026-03-01T00:00:00Z') },
    groupBy: 'hour',
  },
  {
    metrics: ['test.flow'],
    period: { from: at('2025-10-15T00:00:00Z'), to: at('2026-03-10T15:30:00Z') },
    groupBy: 'none',
    filters: { warehouse: 'east' },
  },
  {
    metrics: ['test.flow', 'test.level'],
    period: { from: at('2025-12-31T23:00:00Z'), to: at('2026-03-02T01:00:00Z') },
    groupBy: 'day',
    filters: { channel: 'web', warehouse: 'east' },
  },
  {
    metrics: ['test.flow'],
    period: { from: at('2026-02-01T00:00:00Z'), to: at('2026-03-01T00:00:00Z') },
    groupBy: 'warehouse',
    filters: { channel: 'amazon' },
  },
  {
    metrics: ['test.flow'],
    period: { from: at('2026-02-03T05:00:00Z'), to: at('2026-02-03T05:00:00Z') },
    groupBy: 'none',
  },
];

/** The slice's sums computed from the rows written: what every read must come to. */
function expected(rows: readonly LedgerRow[], slice: LedgerSlice, filters: LedgerFilters): LedgerSum[] {
  const { from, to } = wholeHours(slice.period);
  const sums = new Map<string, LedgerSum>();
  for (const row of rows) {
    const time = Date.parse(`${row.hour.replace(' ', 'T')}Z`);
    if (!slice.metrics.includes(row.metric) || time < from.getTime() || time >= to.getTime()) continue;
    if (!DIMENSIONS.every((d) => filters[d] === undefined || row[d] === filters[d])) continue;
    const group =
      slice.groupBy === 'none'
        ? ''
        : slice.groupBy === 'hour'
          ? row.hour
          : slice.groupBy === 'day'
            ? row.hour.slice(0, 10)
            : slice.groupBy === 'detail'
              ? row.detail
              : row[slice.groupBy as Dimension];
    const key = [group, row.metric, row.detail, row.bucket].join('|');
    const sum = sums.get(key) ?? { group, metric: row.metric, detail: row.detail, bucket: row.bucket, value: 0 };
    sum.value += row.value;
    sums.set(key, sum);
  }
  return sorted([...sums.values()].filter((s) => s.value !== 0));
}

const sorted = (sums: LedgerSum[]) =>
  [...sums].sort((x, y) =>
    [x.group, x.metric, x.detail, x.bucket].join('|').localeCompare([y.group, y.metric, y.detail, y.bucket].join('|')),
  );

describe('reading overlapping ledger slices together', () => {
  let analytics: Analytics;
  const rows = ledgerRows();

  beforeAll(async () => {
    analytics = await openAnalytics({
      dataDir: await mkdtemp(path.join(os.tmpdir(), 'tower-ledger-reads-')),
      maxMemoryBytes: 1 << 30,
    });
    await migrateAnalytics(analytics);
    await analytics.insert({ name: 'test.ledger-rows', table: 'kpi_ledger_hourly', rows });
  }, 120_000);

  afterAll(async () => {
    await analytics?.close();
  });

  it('gives every slice the sums of the rows in its hours, groups and filters', async () => {
    expect(rows.length).toBeGreaterThan(1_000);
    for (const filters of [{}, { channel: 'web' }, { channel: 'b2b', region: 'north' }] as LedgerFilters[]) {
      const read = await readLedgerSlices(analytics, { filters, slices: SLICES });
      SLICES.forEach((slice, i) => {
        const want = expected(rows, slice, slice.filters ?? filters);
        expect(sorted(read[i]), `slice ${i} under ${JSON.stringify(filters)}`).toEqual(want);
      });
      // Every slice but the empty period has rows to get right (the narrowest filter may leave some none).
      if (!filters.region) expect(read.slice(0, 12).every((sums) => sums.length > 0)).toBe(true);
      expect(read[12]).toEqual([]);
    }
  });

  it('reads a slice alone as it reads it among others', async () => {
    const together = await readLedgerSlices(analytics, { filters: { channel: 'web' }, slices: SLICES });
    for (const [i, slice] of SLICES.entries()) {
      const [alone] = await readLedgerSlices(analytics, { filters: { channel: 'web' }, slices: [slice] });
      expect(sorted(alone), `slice ${i}`).toEqual(sorted(together[i]));
    }
  });
});
