import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { migrateAnalytics } from '@/analytics/migrate';
import { getEventsByReference } from '@/analytics/queries/drill-through/events-by-reference';
import { getSkuDailyFlows } from '@/analytics/queries/drill-through/sku-daily-flows';
import { getSkuMargin } from '@/analytics/queries/drill-through/sku-margin';
import { getSkuMovementSinceSnapshot } from '@/analytics/queries/drill-through/sku-movement-since-snapshot';
import { getSkuRecentReturns } from '@/analytics/queries/drill-through/sku-recent-returns';
import { getSkuReturnsByReason } from '@/analytics/queries/drill-through/sku-returns-by-reason';
import { getSkuStockSnapshots } from '@/analytics/queries/drill-through/sku-stock-snapshots';
import { splitSqlStatements } from '@/analytics/sql-statements';
import { createIngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import {
  allEvents,
  batches,
  ORDER,
  RANGE,
  REFUND,
  resent,
  RETURN,
  SKU,
  storedTwice,
  type FixtureEvent,
} from '../support/drill-through-events';
import { storedEventRow } from '../support/stored-event-row';

// Expected values are computed here from the fixture in plain TypeScript, never with the SQL under test.
const ms = (iso: string) => Date.parse(iso);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0);
type Line = Record<string, unknown>;
const linesOf = (e: FixtureEvent): Line[] => (Array.isArray(e.data.lines) ? (e.data.lines as Line[]) : []);
const skuQty = (e: FixtureEvent, field = 'qty') =>
  linesOf(e)
    .filter((l) => l.sku === SKU)
    .reduce((s, l) => s + num(l[field]), 0);
const inRange = (e: FixtureEvent) => ms(e.occurred_at) >= RANGE.from.getTime() && ms(e.occurred_at) < RANGE.to.getTime();
const byTime = (x: FixtureEvent, y: FixtureEvent) => ms(x.occurred_at) - ms(y.occurred_at) || x.id.localeCompare(y.id);
const iso = (at: string) => new Date(at).toISOString();
const of = (type: string) => allEvents.filter((e) => e.type === type);

function expectedEventIds(key: string, ids: string[]): string[] {
  return allEvents
    .filter((e) => ids.includes(str(e.data[key])))
    .sort(byTime)
    .map((e) => e.id);
}

function expectedSnapshots() {
  const latest = new Map<string, FixtureEvent>();
  for (const e of of('stock.snapshot').filter((x) => x.data.sku === SKU)) {
    const w = str(e.data.warehouse);
    const seen = latest.get(w);
    if (!seen || ms(e.occurred_at) > ms(seen.occurred_at)) latest.set(w, e);
  }
  return [...latest.values()]
    .map((e) => ({
      warehouse: str(e.data.warehouse),
      at: iso(e.occurred_at),
      onHand: num(e.data.on_hand),
      reserved: num(e.data.reserved),
      available: num(e.data.on_hand) - num(e.data.reserved),
      quarantine: num(e.data.quarantine),
      damaged: num(e.data.damaged),
      inTransit: num(e.data.in_transit),
    }))
    .sort((x, y) => x.warehouse.localeCompare(y.warehouse));
}

function expectedMovements() {
  const snapshotAt = new Map(expectedSnapshots().map((s) => [s.warehouse, ms(s.at)]));
  const returnWarehouse = new Map(of('return.received').map((e) => [str(e.data.return_id), str(e.data.warehouse)]));
  const moves: { warehouse: string; kind: string; delta: number; at: string }[] = [];
  for (const e of allEvents) {
    const at = e.occurred_at;
    if (e.type === 'stock.received' && e.data.sku === SKU) moves.push({ warehouse: str(e.data.warehouse), kind: 'received', delta: num(e.data.qty), at });
    if (e.type === 'stock.adjusted' && e.data.sku === SKU) moves.push({ warehouse: str(e.data.warehouse), kind: 'adjusted', delta: num(e.data.qty_delta), at });
    if (e.type === 'stock.transferred' && e.data.sku === SKU) {
      moves.push({ warehouse: str(e.data.from_warehouse), kind: 'transferred', delta: -num(e.data.qty), at });
      moves.push({ warehouse: str(e.data.to_warehouse), kind: 'transferred', delta: num(e.data.qty), at });
    }
    for (const l of linesOf(e).filter((x) => x.sku === SKU)) {
      if (e.type === 'order.shipped') moves.push({ warehouse: str(e.data.warehouse), kind: 'shipped', delta: -num(l.qty), at });
      if (e.type === 'return.inspected' && l.disposition === 'restock')
        moves.push({ warehouse: returnWarehouse.get(str(e.data.return_id)) ?? '', kind: 'restocked', delta: num(l.qty), at });
    }
  }
  const totals = new Map<string, { warehouse: string; kind: string; unitsIn: number; unitsOut: number }>();
  for (const m of moves.filter((x) => ms(x.at) > (snapshotAt.get(x.warehouse) ?? -Infinity))) {
    const key = `${m.warehouse}|${m.kind}`;
    const t = totals.get(key) ?? { warehouse: m.warehouse, kind: m.kind, unitsIn: 0, unitsOut: 0 };
    t.unitsIn += Math.max(m.delta, 0);
    t.unitsOut += Math.max(-m.delta, 0);
    totals.set(key, t);
  }
  return [...totals.values()].sort((x, y) => x.warehouse.localeCompare(y.warehouse) || x.kind.localeCompare(y.kind));
}

function expectedFlows(warehouse: string) {
  const days = new Map<string, Record<string, number>>();
  const add = (e: FixtureEvent, field: string, n: number) => {
    if (n === 0) return;
    const day = iso(e.occurred_at).slice(0, 10);
    const row = days.get(day) ?? { received: 0, shipped: 0, adjustedUp: 0, adjustedDown: 0, transferredIn: 0, transferredOut: 0, returned: 0 };
    row[field] += n;
    days.set(day, row);
  };
  const here = (w: unknown) => warehouse === '' || w === warehouse;
  for (const e of allEvents.filter(inRange)) {
    const topSku = e.data.sku === SKU;
    if (e.type === 'stock.received' && topSku && here(e.data.warehouse)) add(e, 'received', num(e.data.qty));
    if (e.type === 'stock.adjusted' && topSku && here(e.data.warehouse)) {
      add(e, 'adjustedUp', Math.max(num(e.data.qty_delta), 0));
      add(e, 'adjustedDown', Math.max(-num(e.data.qty_delta), 0));
    }
    if (e.type === 'stock.transferred' && topSku) {
      if (here(e.data.to_warehouse)) add(e, 'transferredIn', num(e.data.qty));
      if (here(e.data.from_warehouse)) add(e, 'transferredOut', num(e.data.qty));
    }
    if (e.type === 'order.shipped' && here(e.data.warehouse)) add(e, 'shipped', skuQty(e));
    if (e.type === 'return.received' && here(e.data.warehouse)) add(e, 'returned', skuQty(e));
  }
  return [...days].sort(([x], [y]) => x.localeCompare(y)).map(([day, row]) => ({ day, ...row }));
}

function expectedReasons() {
  const rejected = new Set(of('return.rejected').map((e) => str(e.data.return_id)));
  const reasons = new Map<string, { reasonCode: string; returns: Set<string>; units: number; rejectedUnits: number }>();
  for (const e of of('return.requested').filter(inRange)) {
    for (const l of linesOf(e).filter((x) => x.sku === SKU)) {
      const code = str(l.reason_code);
      const r = reasons.get(code) ?? { reasonCode: code, returns: new Set<string>(), units: 0, rejectedUnits: 0 };
      r.returns.add(str(e.data.return_id));
      if (rejected.has(str(e.data.return_id))) r.rejectedUnits += num(l.qty);
      else r.units += num(l.qty);
      reasons.set(code, r);
    }
  }
  return [...reasons.values()]
    .map((r) => ({ reasonCode: r.reasonCode, returns: r.returns.size, units: r.units, rejectedUnits: r.rejectedUnits }))
    .sort((x, y) => y.units + y.rejectedUnits - (x.units + x.rejectedUnits) || x.reasonCode.localeCompare(y.reasonCode));
}

function expectedMargin() {
  const byCurrency = new Map<string, { orders: Set<string>; unitsSold: number; sales: number; cost: number; unitsWithoutCost: number }>();
  for (const e of of('order.created').filter(inRange)) {
    const currency = str(e.data.currency) || 'USD';
    for (const l of linesOf(e).filter((x) => x.sku === SKU)) {
      const m = byCurrency.get(currency) ?? { orders: new Set<string>(), unitsSold: 0, sales: 0, cost: 0, unitsWithoutCost: 0 };
      m.orders.add(str(e.data.order_id));
      m.unitsSold += num(l.qty);
      m.sales += num(l.qty) * num(l.unit_price) - num(l.discount);
      if (l.unit_cost === undefined) m.unitsWithoutCost += num(l.qty);
      else m.cost += num(l.qty) * num(l.unit_cost);
      byCurrency.set(currency, m);
    }
  }
  return [...byCurrency].map(([currency, m]) => ({
    currency,
    orders: m.orders.size,
    unitsSold: m.unitsSold,
    sales: m.sales,
    cost: m.cost,
    grossMargin: m.sales - m.cost,
    unitsWithoutCost: m.unitsWithoutCost,
  }));
}

let a: Analytics;
beforeAll(async () => {
  a = await openAnalytics({ dataDir: await mkdtemp(path.join(os.tmpdir(), 'tower-drill-through-')), maxMemoryBytes: 512 * 1024 ** 2 });
  await migrateAnalytics(a);
  const ingest = createIngestService({ analytics: a, bus: createInProcessBus(), maxBatchDelayMs: 10 });
  for (const [i, batch] of batches.entries()) {
    const sent = i === batches.length - 1 ? [...batch, ...resent] : batch;
    const answer = await ingest.submit(sent, 'test');
    expect(answer.rejected).toEqual([]);
    await ingest.flush();
  }
  await ingest.close();
  // Two ingest processes may each store the same id once (docs/events.md, "Dedupe").
  const copies = await a.query({
    name: 'test.read-stored',
    sql: 'SELECT id, type, occurred_at, received_at + 1 AS received_at, source, order_id, data, attrs FROM events WHERE id IN {ids:Array(String)}',
    params: { ids: storedTwice.map((e) => e.id) },
    schema: storedEventRow,
  });
  await a.insert({ name: 'test.stored-twice', table: 'events', rows: copies });
  const [stored] = await a.query({ name: 'test.count', sql: 'SELECT count() AS n FROM events', schema: z.object({ n: z.number() }) });
  expect(stored.n).toBe(allEvents.length + storedTwice.length);
});
afterAll(async () => {
  await a?.close();
});

describe('drill-through queries on chDB', () => {
  it("finds an order's events in business order, each once, late and out-of-order ones included", async () => {
    const events = await getEventsByReference(a, 'order_id', [ORDER]);
    expect(events.map((e) => e.id)).toEqual(expectedEventIds('order_id', [ORDER]));
    const created = events.find((e) => e.type === 'order.created');
    expect(created).toMatchObject({ occurredAt: '2026-03-09T10:00:00.000Z', source: 'test', data: { currency: 'EUR' } });
    expect(created?.data.lines).toEqual([
      { sku: SKU, qty: 2, unit_price: 10, unit_cost: 4, discount: 1 },
      { sku: 'TEE-A-XL', qty: 1, unit_price: 5.5 },
    ]);
    expect(await getEventsByReference(a, 'order_id', ['SO-404'])).toEqual([]);
  });

  it("finds a return's events and its refund's events, the ones without an order_id included", async () => {
    const ofReturn = await getEventsByReference(a, 'return_id', [RETURN]);
    expect(ofReturn.map((e) => e.id)).toEqual(expectedEventIds('return_id', [RETURN]));
    const ofRefund = await getEventsByReference(a, 'refund_id', [REFUND]);
    expect(ofRefund.map((e) => e.id)).toEqual(expectedEventIds('refund_id', [REFUND]));
    expect(ofRefund.some((e) => e.type === 'refund.approved')).toBe(true);
  });

  it('reads lookups through the bloom-filter indexes, not the whole table', async () => {
    const explain = z.object({ explain: z.string() });
    for (const [column, value] of [
      ['order_id', ORDER],
      ['return_id', RETURN],
      ['refund_id', REFUND],
    ]) {
      const plan = await a.query({
        name: 'test.explain',
        sql: `EXPLAIN indexes = 1 SELECT id FROM events WHERE ${column} IN {ids:Array(String)}`,
        params: { ids: [value] },
        schema: explain,
      });
      expect(plan.map((r) => r.explain).join('\n')).toContain(`events_${column}_bloom`);
    }
    const skuPlan = await a.query({
      name: 'test.explain',
      sql: 'EXPLAIN indexes = 1 SELECT id FROM events WHERE has(skus, {sku:String})',
      params: { sku: SKU },
      schema: explain,
    });
    expect(skuPlan.map((r) => r.explain).join('\n')).toContain('events_skus_bloom');
  });

  it('runs migration 020 again without harm', async () => {
    const sql = await readFile(new URL('../../analytics/migrations/020-event-lookup-indexes.sql', import.meta.url), 'utf8');
    for (const [i, statement] of splitSqlStatements(sql).entries()) await a.command({ name: `test.rerun-020#${i}`, sql: statement });
    expect((await getEventsByReference(a, 'order_id', [ORDER])).length).toBe(expectedEventIds('order_id', [ORDER]).length);
  });

  it('shows the latest snapshot per warehouse, never replaced by an older one that arrived late', async () => {
    expect(await getSkuStockSnapshots(a, SKU)).toEqual(expectedSnapshots());
    expect(await getSkuStockSnapshots(a, 'NO-SUCH-SKU')).toEqual([]);
  });

  it('sums on-hand movements per warehouse after its latest snapshot, restocks in the receiving warehouse', async () => {
    const rows = await getSkuMovementSinceSnapshot(a, SKU);
    expect([...rows].sort((x, y) => x.warehouse.localeCompare(y.warehouse) || x.kind.localeCompare(y.kind))).toEqual(expectedMovements());
  });

  it('counts flows in and out by day, for all warehouses and for one', async () => {
    expect(await getSkuDailyFlows(a, { sku: SKU, ...RANGE, warehouse: '' })).toEqual(expectedFlows(''));
    expect(await getSkuDailyFlows(a, { sku: SKU, ...RANGE, warehouse: 'east' })).toEqual(expectedFlows('east'));
    expect(await getSkuDailyFlows(a, { sku: SKU, ...RANGE, warehouse: 'west' })).toEqual(expectedFlows('west'));
  });

  it('counts returned units by reason, rejected ones apart, each request once', async () => {
    expect(await getSkuReturnsByReason(a, { sku: SKU, ...RANGE })).toEqual(expectedReasons());
    const recent = await getSkuRecentReturns(a, { sku: SKU, ...RANGE, limit: 10 });
    const expectedRecent = of('return.requested')
      .filter((e) => inRange(e) && skuQty(e) > 0)
      .sort((x, y) => byTime(y, x))
      .map((e) => ({ returnId: str(e.data.return_id), orderId: str(e.data.order_id), requestedAt: iso(e.occurred_at), units: skuQty(e) }));
    expect(recent.map(({ reasonCodes: _, ...r }) => r)).toEqual(expectedRecent);
  });

  it('computes units sold, sales, cost and gross margin per currency from order lines in the range', async () => {
    const rows = await getSkuMargin(a, { sku: SKU, ...RANGE });
    const expected = expectedMargin();
    expect(rows.map((r) => r.currency).sort()).toEqual(expected.map((r) => r.currency).sort());
    for (const want of expected) {
      const got = rows.find((r) => r.currency === want.currency);
      expect(got).toMatchObject({ orders: want.orders, unitsSold: want.unitsSold, unitsWithoutCost: want.unitsWithoutCost });
      expect(got?.sales).toBeCloseTo(want.sales, 6);
      expect(got?.cost).toBeCloseTo(want.cost, 6);
      expect(got?.grossMargin).toBeCloseTo(want.grossMargin, 6);
    }
  });
});
