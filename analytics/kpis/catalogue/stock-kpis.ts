import type { Dimension } from '../board-view';
import type { KpiDefinition, KpiPart } from '../kpi-definition';
import { shareOf } from './formula-shapes';
import { averageInventory, inventoryTurns } from '../stock/inventory-turns';
import { levelRatio } from '../stock/level-ratio';
import { AGEING_BUCKETS, ageingFigure } from '../stock/stock-ageing';

/** Stock is held, counted and valued per SKU at a warehouse: it has no channel, region or carrier. */
const STOCK_SLICES: readonly Dimension[] = ['warehouse', 'category'];
const SUPPLIER_SLICES: readonly Dimension[] = ['supplier', 'warehouse', 'category'];

const ageingParts: KpiPart[] = [
  { key: 'units', label: 'Units', format: 'count', value: { kind: 'custom', read: ageingFigure('units', 'all') } },
  ...AGEING_BUCKETS.flatMap((b): KpiPart[] => [
    {
      key: `value_${b.key}`,
      label: b.label,
      format: 'money',
      value: { kind: 'custom', read: ageingFigure('value', b.key) },
    },
    {
      key: `units_${b.key}`,
      label: `${b.label} units`,
      format: 'count',
      value: { kind: 'custom', read: ageingFigure('units', b.key) },
    },
  ]),
  {
    key: 'units_unknown',
    label: 'Age unknown, units',
    format: 'count',
    value: { kind: 'custom', read: ageingFigure('units', 'unknown') },
  },
];

/** Stock and suppliers (families: cycle-counts, stock-positions, backordered-orders, shipped-cost, po-lines). */
export const stockKpis: readonly KpiDefinition[] = [
  {
    key: 'inventory_accuracy',
    label: 'Inventory accuracy',
    section: 'stock',
    format: 'percent',
    help: 'Of the cycle counts taken in the range (stock.adjusted, reason cycle_count, with expected_qty and counted_qty; each counts one SKU at one warehouse, and a location counted twice counts twice): the share whose |counted − expected| is within the tolerance of the SKU’s value class — A ±1 %, B ±3 %, C or unknown ±5 % of expected (expected 0 needs 0 counted). Each count is judged on its own, so overcounts and undercounts never net out.',
    value: shareOf(['count.within_tolerance'], ['count.counted']),
    parts: [
      { key: 'counts', label: 'Counts', format: 'count', value: { kind: 'total', terms: { plus: ['count.counted'] } } },
    ],
    target: { direction: 'at_least', value: 0.99, amber: 0.02 },
    better: 'higher',
    dimensions: STOCK_SLICES,
    drillTo: 'skus',
  },
  {
    key: 'stockout_rate',
    label: 'Stockout rate',
    section: 'stock',
    format: 'percent',
    help: 'At the end of the range, by each SKU-warehouse’s latest stock.snapshot until then: pairs with available (on_hand − reserved) ≤ 0 ÷ active pairs. Active: every pair the core reports, except one out of stock for more than 30 days in a row (no longer carried there). Beside it: orders backordered in the range (each once, at its first order.backordered, under that warehouse and its largest short line’s category) and the pairs out of stock at the end.',
    value: levelRatio('stock.pairs_out', 'stock.pairs_active'),
    parts: [
      {
        key: 'orders_affected',
        label: 'Orders affected',
        format: 'count',
        value: { kind: 'total', terms: { plus: ['stockout.orders_affected'] } },
      },
      {
        key: 'pairs_out',
        label: 'SKU-warehouses out',
        format: 'count',
        value: { kind: 'level', terms: { plus: ['stock.pairs_out'] } },
      },
    ],
    target: { direction: 'at_most', value: 0.02, amber: 0.01 },
    better: 'lower',
    dimensions: STOCK_SLICES,
    drillTo: 'skus',
  },
  {
    key: 'stock_ageing',
    label: 'Stock on hand by age',
    section: 'stock',
    format: 'money',
    help: 'Stock on hand at the end of the range, at cost, by days since receipt. On hand: each SKU-warehouse’s latest stock.snapshot in the 7 days before. FIFO: what is on hand is taken to be the newest receipts (stock.received), each valued at its receipt cost and aged from its receipt; 0–30, 31–60, 61–90, 91–180 and > 180 days beside it, in value and units. Units beyond every receipt the tower holds have an unknown age and are valued at the SKU’s standard cost.',
    value: { kind: 'custom', read: ageingFigure('value', 'all') },
    parts: ageingParts,
    better: 'neither',
    dimensions: STOCK_SLICES,
    drillTo: 'skus',
  },
  {
    key: 'inventory_turns',
    label: 'Inventory turns',
    section: 'stock',
    format: 'ratio',
    help: 'Cost of goods shipped in the range ÷ average inventory value at cost, annualised (× 365 days ÷ the range’s length). Cost of goods shipped: units on order.shipped × the SKU’s standard cost (product.updated unit_cost). Average inventory: the mean of the stock value at the start of the range and at the end of each of its days (hours, for ranges up to two days), stock being each SKU-warehouse’s latest stock.snapshot on_hand at the same cost. Both use the current standard cost, so a cost change restates past ranges.',
    value: inventoryTurns,
    parts: [
      {
        key: 'cogs',
        label: 'Cost of goods shipped',
        format: 'money',
        value: { kind: 'total', terms: { plus: ['stock.cogs'] } },
      },
      {
        key: 'average_inventory',
        label: 'Average inventory',
        format: 'money',
        value: averageInventory,
      },
    ],
    better: 'higher',
    dimensions: STOCK_SLICES,
    drillTo: 'skus',
  },
  {
    key: 'supplier_otif',
    label: 'Supplier OTIF',
    section: 'stock',
    format: 'percent',
    help: 'Of the purchase order lines due in the range (po.created lines by expected_at; a PO’s lines of one SKU count as one): the share whose receipts (stock.received with that po_id) reached the quantity ordered on or before expected_at. On time: some of the line arrived by expected_at (target ≥ 90 %); in full: all of it arrived, whenever (target ≥ 95 %). A line due but not received counts as missed.',
    value: shareOf(['supplier.lines_otif'], ['supplier.lines_due']),
    parts: [
      {
        key: 'on_time',
        label: 'On time',
        format: 'percent',
        value: shareOf(['supplier.lines_on_time'], ['supplier.lines_due']),
      },
      {
        key: 'in_full',
        label: 'In full',
        format: 'percent',
        value: shareOf(['supplier.lines_in_full'], ['supplier.lines_due']),
      },
      {
        key: 'lines_due',
        label: 'Lines due',
        format: 'count',
        value: { kind: 'total', terms: { plus: ['supplier.lines_due'] } },
      },
    ],
    target: { direction: 'at_least', value: 0.9, amber: 0.05 },
    better: 'higher',
    dimensions: SUPPLIER_SLICES,
    drillTo: 'purchase_orders',
  },
];
