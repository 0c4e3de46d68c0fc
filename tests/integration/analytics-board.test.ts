import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBoard } from '@/analytics/board/compute-board';
import type { BoardSnapshot } from '@/analytics/board/board-snapshot';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { boardTiles, type BoardTileKey } from '@/analytics/kpis/board-tiles';
import { migrateAnalytics } from '@/analytics/migrate';
import { getHealthCounts } from '@/analytics/queries/health-counts';

// A hand-made day at a retailer. Expected figures are computed below from this input in plain
// TypeScript, never with the SQL under test.
type Line = {
  sku: string;
  qty: number;
  unit_price?: number | string;
  discount?: number | string;
  reason_code?: string;
};
interface TestEvent {
  id: string;
  type: string;
  at: string; // occurred_at, ISO
  receivedAt?: string; // defaults to `at` + 1 s; later for late arrivals
  data: Record<string, unknown> & { order_id?: string; lines?: Line[] };
}

const NOW = new Date('2026-03-10T15:30:00.000Z');
const DAY_START = Date.parse('2026-03-10T00:00:00Z');
const DAY_END = Date.parse('2026-03-11T00:00:00Z');
const COHORT_START = DAY_START - 29 * 86_400_000;

const created = (
  id: string,
  order: string,
  at: string,
  channel: string,
  lines: Line[],
  extra: Record<string, unknown> = {},
): TestEvent => ({
  id,
  type: 'order.created',
  at,
  data: { order_id: order, channel, lines, ...extra },
});
const shipped = (id: string, order: string, at: string, qtys: number[], receivedAt?: string): TestEvent => ({
  id,
  type: 'order.shipped',
  at,
  receivedAt,
  data: {
    order_id: order,
    shipment_id: `s-${id}`,
    warehouse: 'east',
    carrier: 'ups',
    lines: qtys.map((qty, i) => ({ sku: `SKU-${i}`, qty })),
  },
});

const batches: TestEvent[][] = [
  [
    created(
      'e1',
      'o1',
      '2026-03-10T09:10:00Z',
      'web',
      [
        { sku: 'A', qty: 2, unit_price: '19.99' },
        { sku: 'B', qty: 1, unit_price: 5.5, discount: '1.25' },
      ],
      { promised_ship_by: '2026-03-10T12:00:00Z' },
    ),
    shipped('e2', 'o1', '2026-03-10T11:00:00Z', [2, 1]),
    // o2's shipment is stored before its order: out of order.
    shipped('e3', 'o2', '2026-03-10T13:00:00Z', [1]),
    created('e4', 'o3', '2026-03-10T10:05:00Z', 'web', [{ sku: 'C', qty: 4, unit_price: 0.1 }]),
    shipped('e5', 'o3', '2026-03-10T14:00:00Z', [4]),
    created('e6', 'o4', '2026-03-10T11:20:00Z', 'b2b', [{ sku: 'D', qty: 10, unit_price: '12.3456' }], {
      promised_ship_by: '2026-03-11T11:00:00+01:00',
    }),
    created('e7', 'o5', '2026-03-10T12:00:00Z', 'web', [{ sku: 'A', qty: 1, unit_price: 19.99 }]),
    {
      id: 'e8',
      type: 'order.cancelled',
      at: '2026-03-10T12:30:00Z',
      data: { order_id: 'o5', reason: 'changed_mind', initiated_by: 'customer' },
    },
    created('e9', 'o7', '2026-03-09T08:00:00Z', 'marketplace_a', [{ sku: 'E', qty: 4, unit_price: 7 }]),
    shipped('e10', 'o7', '2026-03-09T10:00:00Z', [4]),
    created('e11', 'o8', '2026-01-01T08:00:00Z', 'web', [{ sku: 'F', qty: 5, unit_price: 3 }]),
    shipped('e12', 'o8', '2026-01-02T08:00:00Z', [5]),
    created('e13', 'o9', '2026-03-01T08:00:00Z', 'web', [{ sku: 'G', qty: 3, unit_price: 9 }]),
    shipped('e14', 'o9', '2026-03-02T08:00:00Z', [2]),
  ],
  [
    created('e15', 'o2', '2026-03-10T09:40:00Z', 'marketplace_a', [{ sku: 'H', qty: 1, unit_price: 100 }], {
      promised_ship_by: '2026-03-10T10:00:00Z',
    }),
    shipped('e16', 'o9', '2026-03-05T08:00:00Z', [1]),
    {
      id: 'e17',
      type: 'return.requested',
      at: '2026-03-10T08:00:00Z',
      data: { return_id: 'r1', order_id: 'o7', lines: [{ sku: 'E', qty: 1, reason_code: 'size' }] },
    },
    {
      id: 'e18',
      type: 'return.requested',
      at: '2026-03-10T08:30:00Z',
      data: { return_id: 'r2', order_id: 'o8', lines: [{ sku: 'F', qty: 5, reason_code: 'damaged' }] },
    },
    {
      id: 'e19',
      type: 'return.requested',
      at: '2026-03-06T08:00:00Z',
      data: { return_id: 'r3', order_id: 'o9', lines: [{ sku: 'G', qty: 2, reason_code: 'late' }] },
    },
    {
      id: 'e20',
      type: 'return.rejected',
      at: '2026-03-07T08:00:00Z',
      data: { return_id: 'r3', reason: 'outside policy' },
    },
    {
      id: 'e21',
      type: 'return.requested',
      at: '2026-03-10T09:00:00Z',
      data: { return_id: 'r4', order_id: 'o3', lines: [{ sku: 'C', qty: 1, reason_code: 'defective' }] },
    },
    created('e22', 'o10', '2026-03-08T16:00:00Z', 'web', [{ sku: 'J', qty: 2, unit_price: '4.0000' }], {
      promised_ship_by: '2026-03-11T00:00:00Z',
    }),
    shipped('e23', 'o10', '2026-03-10T07:00:00Z', [2]),
  ],
  [
    // Late arrivals: yesterday's order and an early shipment reported hours after the fact.
    {
      ...created('e24', 'o6', '2026-03-09T22:00:00Z', 'web', [{ sku: 'K', qty: 1, unit_price: 50 }]),
      receivedAt: '2026-03-10T15:00:00Z',
    },
    created('e25', 'o11', '2026-03-10T08:00:00Z', 'web', [{ sku: 'L', qty: 3, unit_price: '1.5' }], {
      promised_ship_by: '2026-03-10T08:30:00Z',
    }),
    shipped('e26', 'o11', '2026-03-10T09:00:00Z', [2], '2026-03-10T15:10:00Z'),
    shipped('e27', 'o11', '2026-03-10T08:20:00Z', [1], '2026-03-10T15:20:00Z'),
  ],
];
const allEvents = batches.flat();

const ms = (iso: string) => Date.parse(iso);
const toCh = (iso: string) => new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
const money = (v: number | string | undefined) => (v === undefined ? 0 : Number(v));
const inToday = (iso: string) => ms(iso) >= DAY_START && ms(iso) < DAY_END;
const receivedAt = (e: TestEvent) => e.receivedAt ?? new Date(ms(e.at) + 1000).toISOString();

function toRow(e: TestEvent) {
  return {
    id: e.id,
    type: e.type,
    occurred_at: toCh(e.at),
    received_at: toCh(receivedAt(e)),
    source: 'test',
    order_id: e.data.order_id ?? '',
    data: JSON.stringify(e.data),
    attrs: '{}',
  };
}

function expectedBoard(events: TestEvent[]) {
  const of = (type: string) => events.filter((e) => e.type === type);
  const units = (e: TestEvent) => (e.data.lines ?? []).reduce((s, l) => s + l.qty, 0);
  const createdToday = of('order.created').filter((e) => inToday(e.at));
  const firstShip = new Map<string, number>();
  const unitsShippedByOrder = new Map<string, number>();
  for (const e of of('order.shipped')) {
    const order = String(e.data.order_id);
    firstShip.set(order, Math.min(firstShip.get(order) ?? Infinity, ms(e.at)));
    unitsShippedByOrder.set(order, (unitsShippedByOrder.get(order) ?? 0) + units(e));
  }
  const cancelled = new Map(of('order.cancelled').map((e) => [String(e.data.order_id), ms(e.at)]));
  const promise = new Map(
    of('order.created')
      .filter((e) => typeof e.data.promised_ship_by === 'string')
      .map((e) => [String(e.data.order_id), ms(String(e.data.promised_ship_by))]),
  );

  const open = of('order.created').filter((e) => {
    const order = String(e.data.order_id);
    const now = NOW.getTime();
    return (
      ms(e.at) <= now && !((firstShip.get(order) ?? Infinity) <= now) && !((cancelled.get(order) ?? Infinity) <= now)
    );
  });
  const shippedTodayWithPromise = [...firstShip].filter(
    ([order, at]) => at >= DAY_START && at < DAY_END && promise.has(order),
  );
  const onTime = shippedTodayWithPromise.filter(([order, at]) => at <= (promise.get(order) ?? -Infinity));
  const cohort = new Set([...firstShip].filter(([, at]) => at >= COHORT_START && at < DAY_END).map(([order]) => order));
  const rejected = new Set(of('return.rejected').map((e) => String(e.data.return_id)));
  const unitsReturned = of('return.requested')
    .filter((e) => cohort.has(String(e.data.order_id)) && !rejected.has(String(e.data.return_id)))
    .reduce((s, e) => s + units(e), 0);
  const unitsShippedCohort = [...cohort].reduce((s, order) => s + (unitsShippedByOrder.get(order) ?? 0), 0);

  const byHourChannel = new Map<string, number>();
  for (const e of createdToday) {
    const hour = new Date(Math.floor(ms(e.at) / 3_600_000) * 3_600_000).toISOString();
    const key = `${hour}|${String(e.data.channel)}`;
    byHourChannel.set(key, (byHourChannel.get(key) ?? 0) + 1);
  }

  return {
    tiles: {
      orders: createdToday.length,
      gross_sales: createdToday.reduce(
        (s, e) => s + (e.data.lines ?? []).reduce((t, l) => t + l.qty * money(l.unit_price) - money(l.discount), 0),
        0,
      ),
      units_shipped: of('order.shipped')
        .filter((e) => inToday(e.at))
        .reduce((s, e) => s + units(e), 0),
      open_backlog: open.length,
      on_time_ship_rate: shippedTodayWithPromise.length ? onTime.length / shippedTodayWithPromise.length : null,
      return_rate: unitsShippedCohort ? unitsReturned / unitsShippedCohort : null,
    } satisfies Record<BoardTileKey, number | null>,
    ordersByChannel: [...byHourChannel]
      .map(([key, orders]) => ({ hour: key.split('|')[0], channel: key.split('|')[1], orders }))
      .sort((x, y) => x.hour.localeCompare(y.hour) || x.channel.localeCompare(y.channel)),
    lastEventAt: new Date(Math.max(...events.map((e) => ms(e.at)))).toISOString(),
    lastFlushAt: new Date(Math.max(...events.map((e) => ms(receivedAt(e))))).toISOString(),
  };
}

const tileValues = (board: BoardSnapshot) => Object.fromEntries(board.tiles.map((t) => [t.key, t.value]));

let a: Analytics;
beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tower-analytics-board-'));
  a = await openAnalytics({ dataDir, maxMemoryBytes: 512 * 1024 * 1024 });
  await migrateAnalytics(a);
});
afterAll(async () => {
  await a?.close();
});

describe('computeBoard', () => {
  it('shows an empty store as zero counts and "no data" rates, never NaN', async () => {
    const board = await computeBoard(a, NOW);
    expect(tileValues(board)).toEqual({
      orders: 0,
      gross_sales: 0,
      units_shipped: 0,
      open_backlog: 0,
      on_time_ship_rate: null,
      return_rate: null,
    });
    expect(board).toMatchObject({ day: '2026-03-10', lastEventAt: null, lastFlushAt: null, ordersByChannel: [] });
    expect(await getHealthCounts(a)).toEqual({ events: 0, lastFlushAt: null, deadLetters: 0 });
  });

  it('computes every tile from the input, with late and out-of-order events', async () => {
    for (const [i, batch] of batches.entries()) {
      await a.insert({
        name: 'test.events',
        table: 'events',
        rows: batch.map(toRow),
        deduplicationToken: `board-test-${i}`,
      });
    }
    const expected = expectedBoard(allEvents);
    // Guard the fixture itself: each tile must have something to show, or the test proves little.
    expect(expected.tiles).toMatchObject({ orders: 6, units_shipped: 13, open_backlog: 2 });
    expect(expected.tiles.on_time_ship_rate).toBeCloseTo(3 / 4);
    expect(expected.tiles.return_rate).toBeCloseTo(2 / 20);

    const board = await computeBoard(a, NOW);
    const values = tileValues(board);
    for (const key of ['orders', 'units_shipped', 'open_backlog'] as const)
      expect(values[key]).toBe(expected.tiles[key]);
    for (const key of ['gross_sales', 'on_time_ship_rate', 'return_rate'] as const)
      expect(values[key]).toBeCloseTo(expected.tiles[key] ?? NaN, 6);
    expect(board.ordersByChannel).toEqual(expected.ordersByChannel);
    expect(board.lastEventAt).toBe(expected.lastEventAt);
    expect(board.lastFlushAt).toBe(expected.lastFlushAt);
    expect(board.computedAt).toBe(NOW.toISOString());
  });

  it('gives the same figures once the engine has merged the rollups', async () => {
    const before = await computeBoard(a, NOW);
    for (const table of ['orders_hourly', 'shipments_hourly', 'order_facts', 'return_facts', 'event_freshness']) {
      await a.command({ name: 'test.optimize', sql: `OPTIMIZE TABLE ${table} FINAL` });
    }
    expect(await computeBoard(a, NOW)).toEqual(before);
  });

  it('labels each tile from the KPI catalogue, with the ship-cohort note on the return rate', async () => {
    const board = await computeBoard(a, NOW);
    expect(board.tiles.map(({ key, label, format, help, scope }) => ({ key, label, format, help, scope }))).toEqual(
      boardTiles,
    );
    const returnRate = board.tiles.find((t) => t.key === 'return_rate');
    expect(returnRate?.help).toMatch(/ship cohort/i);
    expect(returnRate?.help).toMatch(/Shopify/);
    expect(returnRate?.scope).toBe('shipped in the last 30 days');
  });

  it('counts each stored event once in the health figures', async () => {
    await a.insert({
      name: 'test.dead-letter',
      table: 'dead_letters',
      rows: [
        {
          received_at: '2026-03-10 15:00:00.000',
          source: 'test',
          event_id: 'bad-1',
          event_type: 'order.created',
          reason: 'data.lines: expected at least 1 line',
          payload: '{}',
        },
      ],
    });
    const health = await getHealthCounts(a);
    expect(health).toEqual({
      events: allEvents.length,
      lastFlushAt: expectedBoard(allEvents).lastFlushAt,
      deadLetters: 1,
    });
  });
});
