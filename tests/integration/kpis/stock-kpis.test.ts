import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { boardViewSchema, periodsOf, type BoardFilters, type BoardView } from '@/analytics/kpis/board-view';
import { stockKpis } from '@/analytics/kpis/catalogue/stock-kpis';
import { ledgerFamilies } from '@/analytics/kpis/families/ledger-families';
import { readKpiBreakdown } from '@/analytics/kpis/kpi-breakdown';
import { kpiDefinition } from '@/analytics/kpis/kpi-catalogue';
import { readKpiDrillDown } from '@/analytics/kpis/kpi-drill-down';
import { readKpis, type KpiReading } from '@/analytics/kpis/kpi-readings';
import { listKpiEntities } from '@/analytics/kpis/list-kpi-entities';
import { compositeKey } from '@/lib/composite-key';
import { createKpiLedger } from '@/analytics/kpis/ledger/kpi-ledger';
import { migrateAnalytics } from '@/analytics/migrate';
import { createIngestService, type IngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import {
  ageing,
  at,
  backorders,
  categoryOf,
  costOfGoodsShipped,
  counts,
  earlySnapshot,
  inventoryAccuracy,
  inventoryValue,
  lateCount,
  NOW,
  ordersAffected,
  poReceipts,
  products,
  purchaseOrders,
  receipts,
  shipments,
  snapshots,
  stockout,
  supplierOtif,
  type Count,
  type Product,
  type PurchaseOrder,
  type Receipt,
  type Snapshot,
} from './stock-kpi-input';

// Stock and supplier KPIs over a known event set — duplicates, late and out-of-order events and
// corrections included — compared with values worked out in stock-kpi-input.ts from the input.
const HOUR = 3_600_000;
const TODAY = at(0);
const TODAY_END = new Date(Math.ceil(NOW.getTime() / HOUR) * HOUR).toISOString(); // the ledger counts the hour in progress
const YESTERDAY = at(1);
const YESTERDAY_END = new Date(Date.parse(TODAY_END) - 24 * HOUR).toISOString();

const envelope = (id: string, type: string, occurred_at: string, data: object) => ({
  id,
  type,
  occurred_at,
  source: 'test',
  data,
});
const productEvent = (p: Product, id = `p-${p.sku}`, occurred = at(30)) => envelope(id, 'product.updated', occurred, p);
const countEvent = (c: Count, id = `c-${c.warehouse}-${c.sku}-${c.at}`) =>
  envelope(id, 'stock.adjusted', c.at, {
    warehouse: c.warehouse,
    sku: c.sku,
    qty_delta: c.counted - c.expected,
    reason: 'cycle_count',
    expected_qty: c.expected,
    counted_qty: c.counted,
  });
const snapshotEvent = (s: Snapshot) =>
  envelope(`s-${s.warehouse}-${s.sku}-${s.at}`, 'stock.snapshot', s.at, {
    warehouse: s.warehouse,
    sku: s.sku,
    on_hand: s.on_hand,
    reserved: s.reserved,
  });
const receiptEvent = (r: Receipt) =>
  envelope(`r-${r.warehouse}-${r.sku}-${r.at}`, 'stock.received', r.at, {
    warehouse: r.warehouse,
    sku: r.sku,
    qty: r.qty,
    unit_cost: r.unit_cost,
    ...(r.po_id ? { po_id: r.po_id } : {}),
  });
const poEvent = (po: PurchaseOrder, id = `po-${po.po_id}`) =>
  envelope(id, 'po.created', at(3), {
    po_id: po.po_id,
    supplier: po.supplier,
    warehouse: po.warehouse,
    lines: po.lines,
    expected_at: po.expected_at,
  });

const stockEvents = [
  ...counts.map((c) => countEvent(c)),
  // neither a count (no expected/counted) nor a cycle count: left out of inventory accuracy
  envelope('adj-damage', 'stock.adjusted', at(0, 9), {
    warehouse: 'WH-E',
    sku: 'TEE',
    qty_delta: -1,
    reason: 'damage',
  }),
  envelope('adj-bare', 'stock.adjusted', at(0, 9), {
    warehouse: 'WH-E',
    sku: 'MUG',
    qty_delta: 0,
    reason: 'cycle_count',
  }),
  ...snapshots.map(snapshotEvent),
  ...backorders.map((b, i) =>
    envelope(`b-${i}`, 'order.backordered', b.at, { order_id: b.order_id, warehouse: b.warehouse, lines: b.lines }),
  ),
  ...receipts.map(receiptEvent),
  ...shipments.map((s) =>
    envelope(`sh-${s.id}`, 'order.shipped', s.at, {
      order_id: s.order_id,
      shipment_id: s.id,
      warehouse: s.warehouse,
      carrier: 'ups',
      lines: s.lines,
    }),
  ),
  ...poReceipts.map(receiptEvent),
  ...purchaseOrders.filter((po) => po.po_id !== 'PO-3').map((po) => poEvent(po)),
];

let analytics: Analytics;
let ingest: IngestService;
let allCounts = [...counts, lateCount];
let allProducts = products;
const allSnapshots = [earlySnapshot, ...snapshots];
const allReceipts = [...receipts, ...poReceipts];

/** Statements the last board computation ran, by name. */
let statements = new Map<string, number>();

async function board(view: Partial<BoardView>, filters: BoardFilters = {}): Promise<Map<string, KpiReading>> {
  await ingest.flush(); // the ledger follows stored events off the write path: wait for it
  const full = boardViewSchema.parse({ range: 'today', ...view });
  statements = new Map();
  const counted: Analytics = {
    ...analytics,
    query: (q) => {
      statements.set(q.name, (statements.get(q.name) ?? 0) + 1);
      return analytics.query(q);
    },
  };
  const readings = await readKpis({ analytics: counted }, stockKpis, { periods: periodsOf(full, NOW), filters, now: NOW });
  return new Map(readings.map((r) => [r.key, r]));
}
const part = (r: KpiReading | undefined, key: string) => r?.parts.find((p) => p.key === key);

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kpi-stock-'));
  analytics = await openAnalytics({ dataDir, maxMemoryBytes: 1 << 30 });
  await migrateAnalytics(analytics);
  ingest = createIngestService({ analytics, bus: createInProcessBus(), maxBatchDelayMs: 5 });
  await ingest.submit(
    products.map((p) => productEvent(p)),
    'test',
  );
  // A receipt against PO-3 and the newest snapshot of a pair arrive before what precedes them.
  await ingest.submit([snapshotEvent(earlySnapshot), receiptEvent(poReceipts[4])], 'test');
  await ingest.submit(stockEvents, 'test');
  await ingest.submit(stockEvents, 'test'); // a producer's retry: every id again
  await ingest.submit([countEvent(lateCount), poEvent(purchaseOrders[2])], 'test');
});

afterAll(async () => {
  await ingest?.close();
  await analytics?.close();
});

describe('stock KPIs', () => {
  it('inventory accuracy judges each count by its value class, late counts included', async () => {
    const readings = await board({});
    const want = inventoryAccuracy(allCounts, allProducts, TODAY, TODAY_END);
    expect(readings.get('inventory_accuracy')?.value).toBeCloseTo(want.rate ?? NaN, 10);
    expect(part(readings.get('inventory_accuracy'), 'counts')?.value).toBe(want.counts);
    expect(readings.get('inventory_accuracy')?.previous).toBeCloseTo(
      inventoryAccuracy(allCounts, allProducts, YESTERDAY, YESTERDAY_END).rate ?? NaN,
      10,
    );

    const apparel = await board({}, { category: 'apparel' });
    const wantApparel = inventoryAccuracy(
      allCounts,
      allProducts,
      TODAY,
      TODAY_END,
      (c) => categoryOf(c.sku) === 'apparel',
    );
    expect(apparel.get('inventory_accuracy')?.value).toBeCloseTo(wantApparel.rate ?? NaN, 10);
  });

  it('stockout rate is the state at the end of the range; dormant pairs are not active', async () => {
    const readings = await board({});
    const now = stockout(allSnapshots, TODAY_END);
    const before = stockout(allSnapshots, YESTERDAY_END);
    expect(readings.get('stockout_rate')?.value).toBeCloseTo(now.rate ?? NaN, 10);
    expect(readings.get('stockout_rate')?.previous).toBeCloseTo(before.rate ?? NaN, 10);
    expect(part(readings.get('stockout_rate'), 'pairs_out')?.value).toBe(now.out);
    expect(part(readings.get('stockout_rate'), 'orders_affected')?.value).toBe(
      ordersAffected(backorders, TODAY, TODAY_END, () => true),
    );

    const east = await board({}, { warehouse: 'WH-E' });
    expect(east.get('stockout_rate')?.value).toBeCloseTo(
      stockout(allSnapshots, TODAY_END, (s) => s.warehouse === 'WH-E').rate ?? NaN,
      10,
    );
    const apparel = await board({ range: '7d' }, { category: 'apparel' });
    expect(part(apparel.get('stockout_rate'), 'orders_affected')?.value).toBe(
      ordersAffected(backorders, at(6), TODAY_END, (_b, sku) => categoryOf(sku) === 'apparel'),
    );
  });

  it('stock ageing lays on-hand units against the newest receipts', async () => {
    const readings = await board({});
    const want = ageing(allSnapshots, allReceipts, NOW, () => true);
    const tile = readings.get('stock_ageing');
    const totalValue = [...want.values()].reduce((acc, b) => acc + b.value, 0);
    expect(tile?.value).toBeCloseTo(totalValue, 4);
    for (const bucket of ['0_30', '31_60', '61_90', '91_180', 'over_180']) {
      expect(part(tile, `value_${bucket}`)?.value).toBeCloseTo(want.get(bucket)?.value ?? 0, 4);
      expect(part(tile, `units_${bucket}`)?.value).toBe(want.get(bucket)?.units ?? 0);
    }
    expect(part(tile, 'units_unknown')?.value).toBe(want.get('unknown')?.units ?? 0);
    expect(want.get('unknown')?.units).toBeGreaterThan(0);
    expect(want.get('over_180')?.units).toBeGreaterThan(0);

    const before = ageing(allSnapshots, allReceipts, new Date(Date.parse(YESTERDAY_END) - 1), () => true);
    expect(tile?.previous).toBeCloseTo(
      [...before.values()].reduce((acc, b) => acc + b.value, 0),
      4,
    );
    // The range's end and the range before's, for every figure of the tile: one statement.
    expect(statements.get('kpi.stock-ageing')).toBe(1);

    const apparelEast = await board({}, { category: 'apparel', warehouse: 'WH-E' });
    const wantApparelEast = ageing(
      allSnapshots,
      allReceipts,
      NOW,
      (w, sku) => w === 'WH-E' && categoryOf(sku) === 'apparel',
    );
    expect(part(apparelEast.get('stock_ageing'), 'units')?.value).toBe(
      [...wantApparelEast.values()].reduce((acc, b) => acc + b.units, 0),
    );
  });

  it('stock ageing drills down to a trend: each day the ageing as of its end', async () => {
    const kpi = kpiDefinition('stock_ageing');
    if (!kpi) throw new Error('the catalogue lost stock ageing');
    const drill = await readKpiDrillDown({ analytics }, kpi, { view: boardViewSchema.parse({ range: '7d' }), extra: {}, list: false }, NOW);
    const series = drill.reading?.series ?? [];
    expect(series.length).toBeGreaterThanOrEqual(7);
    const totalAt = (end: number) => [...ageing(allSnapshots, allReceipts, new Date(end - 1), () => true).values()].reduce((acc, b) => acc + b.value, 0);
    for (const point of series) {
      const dayEnd = Math.min(Date.parse(`${point.at}T00:00:00Z`) + 24 * HOUR, drill.periods.current.to.getTime());
      expect(point.value, point.at).toBeCloseTo(totalAt(dayEnd), 4);
    }
    // The last point is the tile's own number; the days differ (receipts and snapshots came and went).
    expect(series.at(-1)?.value).toBeCloseTo(drill.reading?.value ?? NaN, 4);
    expect(new Set(series.map((p) => p.value?.toFixed(2))).size).toBeGreaterThan(1);
  });

  it('stock ageing breaks down by warehouse and category, each by the ageing narrowed to it', async () => {
    const kpi = kpiDefinition('stock_ageing');
    if (!kpi) throw new Error('the catalogue lost stock ageing');
    const asked: string[] = [];
    const counting = { ...analytics, query: ((q) => (asked.push(q.name), analytics.query(q))) as typeof analytics.query };
    const drill = await readKpiDrillDown({ analytics: counting }, kpi, { view: boardViewSchema.parse({}), extra: {}, list: false }, NOW);
    // The filter bar's values are read once for both breakdowns.
    expect(asked.filter((name) => name === 'board.filter-options')).toHaveLength(1);
    const valueOf = (keep: (warehouse: string, sku: string) => boolean) =>
      [...ageing(allSnapshots, allReceipts, NOW, keep).values()].reduce((acc, b) => acc + b.value, 0);
    const byWarehouse = drill.breakdowns.find((b) => b.dimension === 'warehouse')?.rows ?? [];
    const warehouses = [...new Set(allSnapshots.map((s) => s.warehouse))];
    const wantWarehouses = warehouses.map((w) => ({ value: w, reading: valueOf((x) => x === w) })).filter((r) => r.reading !== 0);
    expect(byWarehouse.map((r) => r.value).sort()).toEqual(wantWarehouses.map((r) => r.value).sort());
    for (const want of wantWarehouses) expect(byWarehouse.find((r) => r.value === want.value)?.reading).toBeCloseTo(want.reading, 4);
    // Largest first, and the parts add up to the tile.
    expect(byWarehouse.map((r) => r.reading)).toEqual([...byWarehouse.map((r) => r.reading)].sort((a, b) => (b ?? 0) - (a ?? 0)));
    expect(byWarehouse.reduce((acc, r) => acc + (r.reading ?? 0), 0)).toBeCloseTo(drill.reading?.value ?? NaN, 4);
    const byCategory = drill.breakdowns.find((b) => b.dimension === 'category')?.rows ?? [];
    expect(byCategory.find((r) => r.value === 'apparel')?.reading).toBeCloseTo(valueOf((_w, sku) => categoryOf(sku) === 'apparel'), 4);
  });

  it('inventory turns: cost of goods shipped over the average stock value, annualised', async () => {
    const check = async (filters: BoardFilters, keep: (warehouse: string, sku: string) => boolean) => {
      const readings = await board({}, filters);
      const cogs = costOfGoodsShipped(shipments, TODAY, TODAY_END, keep);
      const points = Array.from({ length: 17 }, (_, h) =>
        inventoryValue(allSnapshots, new Date(Date.parse(TODAY) + h * HOUR).toISOString(), (s) =>
          keep(s.warehouse, s.sku),
        ),
      );
      const average = points.reduce((acc, v) => acc + v, 0) / points.length;
      const length = NOW.getTime() - Date.parse(TODAY);
      expect(part(readings.get('inventory_turns'), 'cogs')?.value).toBeCloseTo(cogs, 4);
      expect(part(readings.get('inventory_turns'), 'average_inventory')?.value).toBeCloseTo(average, 4);
      expect(readings.get('inventory_turns')?.value).toBeCloseTo((cogs / average) * ((365 * 24 * HOUR) / length), 6);
    };
    await check({}, () => true);
    await check({ warehouse: 'WH-E' }, (w) => w === 'WH-E');
  });

  it('derived KPIs break down by warehouse and list what stands behind them', async () => {
    await ingest.flush();
    const periods = periodsOf(boardViewSchema.parse({ range: 'today' }), NOW);
    const stockoutKpi = kpiDefinition('stockout_rate');
    const turnsKpi = kpiDefinition('inventory_turns');
    if (!stockoutKpi || !turnsKpi) throw new Error('the catalogue lost a stock KPI');

    // Each row is the tile's own reading narrowed to that warehouse.
    const rows = await readKpiBreakdown({ analytics }, stockoutKpi, { periods, filters: {}, dimension: 'warehouse', now: NOW });
    const warehouses = [...new Set(allSnapshots.map((s) => s.warehouse))].sort();
    expect(rows.map((r) => r.value).sort()).toEqual(warehouses);
    for (const row of rows) {
      const want = stockout(allSnapshots, TODAY_END, (s) => s.warehouse === row.value).rate;
      if (want === null) expect(row.reading).toBeNull();
      else expect(row.reading).toBeCloseTo(want, 10);
    }

    // Behind the stockout rate: the SKU-warehouse pairs out of stock at the end of the range.
    const [outGroup] = await listKpiEntities(analytics, stockoutKpi, { period: periods.current, filters: {}, limit: 50 });
    const out = stockout(allSnapshots, TODAY_END).pairsOut.map((p) => compositeKey(p.warehouse, p.sku));
    expect(out.length).toBeGreaterThan(0);
    expect(outGroup.entities.map((e) => e.key).sort()).toEqual(out.sort());

    // Behind inventory turns: what was shipped at cost, whose contributions add up to the part.
    const turns = await listKpiEntities(analytics, turnsKpi, { period: periods.current, filters: {}, limit: 50 });
    const listed = turns.flatMap((g) => g.entities).reduce((acc, e) => acc + (e.values['stock.cogs'] ?? 0), 0);
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeCloseTo(costOfGoodsShipped(shipments, TODAY, TODAY_END, () => true), 4);
  });

  it('supplier OTIF counts PO lines due, on time and in full apart', async () => {
    const readings = await board({});
    const want = supplierOtif(purchaseOrders, poReceipts, TODAY, TODAY_END, () => true);
    const tile = readings.get('supplier_otif');
    expect(tile?.value).toBeCloseTo(want.otif, 10);
    expect(part(tile, 'on_time')?.value).toBeCloseTo(want.onTime, 10);
    expect(part(tile, 'in_full')?.value).toBeCloseTo(want.inFull, 10);
    expect(part(tile, 'lines_due')?.value).toBe(want.due);
    expect(tile?.previous).toBeCloseTo(
      supplierOtif(purchaseOrders, poReceipts, YESTERDAY, YESTERDAY_END, () => true).otif,
      10,
    );

    const central = await board({}, { warehouse: 'WH-C' });
    const wantCentral = supplierOtif(purchaseOrders, poReceipts, TODAY, TODAY_END, (po) => po.warehouse === 'WH-C');
    expect(central.get('supplier_otif')?.value).toBeCloseTo(wantCentral.otif, 10);
  });

  it('a corrected count and a new value class move the numbers; a rebuild agrees', async () => {
    const fixed: Count = { ...counts[1], counted: 99 };
    await ingest.submit([countEvent(fixed, 'c-fix')], 'test');
    allCounts = allCounts.map((c) => (c === counts[1] ? fixed : c));
    const reclassed: Product = { ...products[1], value_class: 'C' };
    await ingest.submit([productEvent(reclassed, 'p-MUG-2', at(0, 1))], 'test');
    allProducts = allProducts.map((p) => (p.sku === 'MUG' ? reclassed : p));

    const want = inventoryAccuracy(allCounts, allProducts, TODAY, TODAY_END);
    expect((await board({})).get('inventory_accuracy')?.value).toBeCloseTo(want.rate ?? NaN, 10);

    const before = await board({});
    // In parts of the entities, as a long history is rebuilt: each entity in exactly one part.
    await createKpiLedger(analytics, ledgerFamilies, { rebuildParts: 3 }).rebuild();
    const after = await board({});
    for (const kpi of stockKpis) {
      expect(after.get(kpi.key)?.value, kpi.key).toBeCloseTo(before.get(kpi.key)?.value ?? NaN, 6);
      expect(after.get(kpi.key)?.previous, kpi.key).toBeCloseTo(before.get(kpi.key)?.previous ?? NaN, 6);
    }
    expect(after.get('inventory_accuracy')?.value).toBeCloseTo(want.rate ?? NaN, 10);
  });

  it('the per-slice sums agree with the monthly, daily and hourly ledger, slice by slice, after corrections and a rebuild', async () => {
    const rowSchema = z.object({ dimension: z.string(), slice: z.string(), metric: z.string(), at: z.string(), detail: z.string(), bucket: z.number(), v: z.string() });
    const read = (sql: string) => analytics.query({ name: 'test.ledger-slices', sql, schema: rowSchema });
    const keyed = (rows: z.infer<typeof rowSchema>[]) =>
      new Map(rows.map((r) => [`${r.dimension}|${r.slice}|${r.metric}|${r.at}|${r.detail}|${r.bucket}`, Number(r.v)]));
    const PAIRS = "[('', ''), ('channel', channel), ('region', region), ('warehouse', warehouse), ('category', category), ('carrier', carrier), ('supplier', supplier)]";
    for (const [table, time] of [['monthly', 'month'], ['daily', 'day'], ['hourly', 'hour']] as const) {
      const sliced = keyed(
        await read(`SELECT dimension, slice, metric, toString(${time}) AS at, detail, bucket, toString(sum(value)) AS v
FROM kpi_ledger_${table}_slices GROUP BY dimension, slice, metric, at, detail, bucket HAVING sum(value) != 0`),
      );
      const full = keyed(
        await read(`SELECT pair.1 AS dimension, pair.2 AS slice, metric, toString(${time}) AS at, detail, bucket, toString(sum(value)) AS v
FROM kpi_ledger_${table} ARRAY JOIN ${PAIRS} AS pair
GROUP BY dimension, slice, metric, at, detail, bucket HAVING sum(value) != 0`),
      );
      expect([...sliced.keys()].filter((k) => k.startsWith('supplier|')).length, table).toBeGreaterThan(0);
      expect(sliced.size, table).toBe(full.size);
      for (const [key, value] of full) expect(sliced.get(key), `${table} ${key}`).toBeCloseTo(value, 4);
    }
  });
});
