// The known event set of stock-kpis.test.ts, and the stock KPIs worked out from it in plain
// TypeScript, by their definitions — never with the SQL under test.

export const NOW = new Date('2026-03-10T15:30:00.000Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** An instant `days` before 2026-03-10T00:00Z plus `hours`, as ISO. */
export const at = (days: number, hours = 0) =>
  new Date(Date.parse('2026-03-10T00:00:00Z') - days * DAY + hours * HOUR).toISOString();

export interface Product {
  sku: string;
  category: string;
  value_class?: 'A' | 'B' | 'C';
  unit_cost?: number;
}
export const products: Product[] = [
  { sku: 'TEE', category: 'apparel', value_class: 'A', unit_cost: 10 },
  { sku: 'MUG', category: 'home', value_class: 'B', unit_cost: 4 },
  { sku: 'CAP', category: 'apparel', unit_cost: 5 },
];
export const categoryOf = (sku: string) => products.find((p) => p.sku === sku)?.category ?? '';
const costOf = (sku: string) => products.find((p) => p.sku === sku)?.unit_cost ?? 0;

export interface Count {
  warehouse: string;
  sku: string;
  at: string;
  expected: number;
  counted: number;
}
export const counts: Count[] = [
  { warehouse: 'WH-E', sku: 'TEE', at: at(0, 8), expected: 100, counted: 99 },
  { warehouse: 'WH-W', sku: 'TEE', at: at(0, 9), expected: 100, counted: 98 },
  { warehouse: 'WH-E', sku: 'MUG', at: at(0, 10), expected: 50, counted: 52 },
  { warehouse: 'WH-W', sku: 'MUG', at: at(0, 11), expected: 100, counted: 97 },
  { warehouse: 'WH-E', sku: 'CAP', at: at(0, 12), expected: 20, counted: 19 },
  { warehouse: 'WH-W', sku: 'CAP', at: at(0, 13), expected: 0, counted: 1 },
  { warehouse: 'WH-E', sku: 'SKU-NEW', at: at(0, 14), expected: 40, counted: 38 },
  { warehouse: 'WH-E', sku: 'TEE', at: at(1, 10), expected: 80, counted: 70 },
  { warehouse: 'WH-W', sku: 'MUG', at: at(1, 11), expected: 30, counted: 30 },
];
/** Arrives last, after later counts: a count taken this morning. */
export const lateCount: Count = { warehouse: 'WH-W', sku: 'TEE', at: at(0, 7), expected: 10, counted: 10 };

const TOLERANCE = { A: 0.01, B: 0.03, C: 0.05 };
export function inventoryAccuracy(
  cs: Count[],
  ps: Product[],
  from: string,
  to: string,
  keep: (c: Count) => boolean = () => true,
) {
  const latest = new Map<string, Count>();
  for (const c of cs) latest.set(`${c.warehouse}/${c.sku}/${c.at}`, c);
  const inRange = [...latest.values()].filter((c) => c.at >= from && c.at < to && keep(c));
  const within = inRange.filter((c) => {
    const cls = ps.find((p) => p.sku === c.sku)?.value_class ?? 'C';
    return Math.abs(c.counted - c.expected) <= TOLERANCE[cls] * c.expected;
  });
  return { rate: inRange.length ? within.length / inRange.length : null, counts: inRange.length };
}

export interface Snapshot {
  warehouse: string;
  sku: string;
  at: string;
  on_hand: number;
  reserved: number;
}
export const snapshots: Snapshot[] = [
  { warehouse: 'WH-E', sku: 'TEE', at: at(40), on_hand: 10, reserved: 0 },
  { warehouse: 'WH-E', sku: 'TEE', at: at(0, 6), on_hand: 5, reserved: 5 },
  { warehouse: 'WH-W', sku: 'TEE', at: at(1, 12), on_hand: 3, reserved: 0 },
  { warehouse: 'WH-W', sku: 'TEE', at: at(0, 6), on_hand: 3, reserved: 1 },
  // out of stock for 45 days: no longer carried there
  { warehouse: 'WH-E', sku: 'MUG', at: at(45), on_hand: 0, reserved: 0 },
  { warehouse: 'WH-E', sku: 'MUG', at: at(10), on_hand: 0, reserved: 0 },
  { warehouse: 'WH-E', sku: 'MUG', at: at(0, 6), on_hand: 0, reserved: 0 },
  { warehouse: 'WH-W', sku: 'MUG', at: at(1, 6), on_hand: 0, reserved: 0 },
  { warehouse: 'WH-E', sku: 'CAP', at: at(0, 14), on_hand: 0, reserved: 0 },
  { warehouse: 'WH-W', sku: 'CAP', at: at(1, 9), on_hand: 4, reserved: 0 },
];
/** Arrives first, before the older snapshot of the same pair. */
export const earlySnapshot: Snapshot = { warehouse: 'WH-W', sku: 'MUG', at: at(0, 6), on_hand: 8, reserved: 0 };

const latestBefore = (ss: Snapshot[], t: string) => {
  const byPair = new Map<string, Snapshot[]>();
  for (const s of [...ss].sort((a, b) => a.at.localeCompare(b.at))) {
    if (s.at >= t) continue;
    const key = `${s.warehouse}/${s.sku}`;
    byPair.set(key, [...(byPair.get(key) ?? []), s]);
  }
  return byPair;
};

/** Pairs out ÷ active pairs at `t`, by the definition (out > 30 days in a row: not active). */
export function stockout(ss: Snapshot[], t: string, keep: (s: Snapshot) => boolean = () => true) {
  let active = 0;
  let out = 0;
  const pairsOut: { warehouse: string; sku: string }[] = [];
  for (const history of latestBefore(ss.filter(keep), t).values()) {
    const last = history[history.length - 1];
    const isOut = (s: Snapshot) => s.on_hand - s.reserved <= 0;
    if (!isOut(last)) {
      active++;
      continue;
    }
    let start = history.length - 1;
    while (start > 0 && isOut(history[start - 1])) start--;
    if (Date.parse(last.at) - Date.parse(history[start].at) > 30 * DAY) continue;
    active++;
    out++;
    pairsOut.push({ warehouse: last.warehouse, sku: last.sku });
  }
  return { rate: active ? out / active : null, out, pairsOut };
}

/** Stock value at standard cost as of `t` (snapshots before t). */
export function inventoryValue(ss: Snapshot[], t: string, keep: (s: Snapshot) => boolean = () => true) {
  let value = 0;
  for (const history of latestBefore(ss.filter(keep), t).values()) {
    const last = history[history.length - 1];
    value += last.on_hand * costOf(last.sku);
  }
  return value;
}

export interface Backorder {
  order_id: string;
  at: string;
  warehouse: string;
  lines: { sku: string; qty_short: number }[];
}
export const backorders: Backorder[] = [
  {
    order_id: 'SO-1',
    at: at(0, 9),
    warehouse: 'WH-E',
    lines: [
      { sku: 'MUG', qty_short: 1 },
      { sku: 'TEE', qty_short: 2 },
    ],
  },
  { order_id: 'SO-1', at: at(0, 11), warehouse: 'WH-E', lines: [{ sku: 'MUG', qty_short: 1 }] },
  { order_id: 'SO-2', at: at(1, 10), warehouse: 'WH-W', lines: [{ sku: 'CAP', qty_short: 3 }] },
  { order_id: 'SO-3', at: at(0, 12), warehouse: 'WH-W', lines: [{ sku: 'MUG', qty_short: 4 }] },
];
export function ordersAffected(
  bs: Backorder[],
  from: string,
  to: string,
  keep: (b: Backorder, sku: string) => boolean,
) {
  const first = new Map<string, Backorder>();
  for (const b of [...bs].sort((x, y) => x.at.localeCompare(y.at)))
    if (!first.has(b.order_id)) first.set(b.order_id, b);
  return [...first.values()].filter((b) => {
    const largest = [...b.lines].sort((x, y) => y.qty_short - x.qty_short)[0];
    return b.at >= from && b.at < to && keep(b, largest.sku);
  }).length;
}

export interface Receipt {
  warehouse: string;
  sku: string;
  at: string;
  qty: number;
  unit_cost: number;
  po_id?: string;
}
export const receipts: Receipt[] = [
  { warehouse: 'WH-E', sku: 'TEE', at: at(100), qty: 10, unit_cost: 9 },
  { warehouse: 'WH-E', sku: 'TEE', at: at(40), qty: 2, unit_cost: 9.5 },
  { warehouse: 'WH-E', sku: 'TEE', at: at(5), qty: 2, unit_cost: 10 },
  { warehouse: 'WH-W', sku: 'TEE', at: at(200), qty: 1, unit_cost: 8 },
  { warehouse: 'WH-W', sku: 'MUG', at: at(70), qty: 5, unit_cost: 4 },
  { warehouse: 'WH-W', sku: 'MUG', at: at(1), qty: 5, unit_cost: 4.2 },
  // More on hand than received (the rest is `unknown` once per pair, not once per layer), and a
  // receipt after yesterday's end that only today's ageing lays against.
  { warehouse: 'WH-W', sku: 'CAP', at: at(20), qty: 1, unit_cost: 4.5 },
  { warehouse: 'WH-W', sku: 'CAP', at: at(3), qty: 1, unit_cost: 4.8 },
  { warehouse: 'WH-W', sku: 'CAP', at: at(0, 3), qty: 1, unit_cost: 7.5 },
];

const BUCKETS = [
  ['0_30', 30],
  ['31_60', 60],
  ['61_90', 90],
  ['91_180', 180],
  ['over_180', Infinity],
] as const;
/** FIFO ageing as of the end of the hour `t` falls in: newest receipts are what is on hand. */
export function ageing(ss: Snapshot[], rs: Receipt[], t: Date, keep: (warehouse: string, sku: string) => boolean) {
  const until = new Date(Math.ceil(t.getTime() / HOUR) * HOUR);
  const since = new Date(until.getTime() - 7 * DAY).toISOString();
  const result = new Map<string, { units: number; value: number }>();
  const add = (bucket: string, units: number, value: number) => {
    const prior = result.get(bucket) ?? { units: 0, value: 0 };
    result.set(bucket, { units: prior.units + units, value: prior.value + value });
  };
  for (const history of latestBefore(ss, until.toISOString()).values()) {
    const last = history[history.length - 1];
    if (last.at < since || !keep(last.warehouse, last.sku)) continue;
    let left = last.on_hand;
    const layers = rs
      .filter((r) => r.warehouse === last.warehouse && r.sku === last.sku && r.at < until.toISOString())
      .sort((a, b) => b.at.localeCompare(a.at));
    for (const r of layers) {
      const units = Math.min(r.qty, left);
      if (units <= 0) break;
      left -= units;
      const days = Math.floor((until.getTime() - Date.parse(r.at)) / DAY);
      add(BUCKETS.find(([, max]) => days <= max)?.[0] ?? 'over_180', units, units * r.unit_cost);
    }
    if (left > 0) add('unknown', left, left * costOf(last.sku));
  }
  return result;
}

export interface Shipment {
  id: string;
  order_id: string;
  warehouse: string;
  at: string;
  lines: { sku: string; qty: number }[];
}
export const shipments: Shipment[] = [
  {
    id: 'SH-1',
    order_id: 'SO-10',
    warehouse: 'WH-E',
    at: at(0, 9),
    lines: [
      { sku: 'TEE', qty: 2 },
      { sku: 'MUG', qty: 1 },
    ],
  },
  { id: 'SH-2', order_id: 'SO-11', warehouse: 'WH-W', at: at(0, 13), lines: [{ sku: 'CAP', qty: 3 }] },
  { id: 'SH-3', order_id: 'SO-12', warehouse: 'WH-W', at: at(1, 13), lines: [{ sku: 'TEE', qty: 1 }] },
];
export function costOfGoodsShipped(
  sh: Shipment[],
  from: string,
  to: string,
  keep: (warehouse: string, sku: string) => boolean,
) {
  return sh
    .filter((s) => s.at >= from && s.at < to)
    .flatMap((s) => s.lines.filter((l) => keep(s.warehouse, l.sku)))
    .reduce((acc, l) => acc + l.qty * costOf(l.sku), 0);
}

export interface PurchaseOrder {
  po_id: string;
  supplier: string;
  warehouse: string;
  expected_at: string;
  lines: { sku: string; qty: number; unit_cost: number }[];
}
export const purchaseOrders: PurchaseOrder[] = [
  {
    po_id: 'PO-1',
    supplier: 'S1',
    warehouse: 'WH-C',
    expected_at: at(0, 10),
    lines: [
      { sku: 'TEE', qty: 10, unit_cost: 10 },
      { sku: 'MUG', qty: 5, unit_cost: 4 },
    ],
  },
  {
    po_id: 'PO-2',
    supplier: 'S2',
    warehouse: 'WH-N',
    expected_at: at(0, 8),
    lines: [{ sku: 'CAP', qty: 6, unit_cost: 5 }],
  },
  {
    po_id: 'PO-3',
    supplier: 'S1',
    warehouse: 'WH-N',
    expected_at: at(0, 11),
    lines: [
      { sku: 'TEE', qty: 3, unit_cost: 10 },
      { sku: 'TEE', qty: 2, unit_cost: 10 },
    ],
  },
  {
    po_id: 'PO-4',
    supplier: 'S2',
    warehouse: 'WH-C',
    expected_at: at(0, 14),
    lines: [{ sku: 'MUG', qty: 4, unit_cost: 4 }],
  },
  {
    po_id: 'PO-5',
    supplier: 'S1',
    warehouse: 'WH-N',
    expected_at: at(1, 12),
    lines: [{ sku: 'CAP', qty: 2, unit_cost: 5 }],
  },
  {
    po_id: 'PO-6',
    supplier: 'S1',
    warehouse: 'WH-C',
    expected_at: at(-1, 12),
    lines: [{ sku: 'TEE', qty: 2, unit_cost: 10 }],
  },
];
export const poReceipts: Receipt[] = [
  { warehouse: 'WH-C', sku: 'TEE', at: at(0, 9), qty: 10, unit_cost: 10, po_id: 'PO-1' },
  { warehouse: 'WH-C', sku: 'MUG', at: at(0, 9), qty: 3, unit_cost: 4, po_id: 'PO-1' },
  { warehouse: 'WH-C', sku: 'MUG', at: at(0, 12), qty: 2, unit_cost: 4, po_id: 'PO-1' },
  { warehouse: 'WH-N', sku: 'CAP', at: at(0, 7), qty: 4, unit_cost: 5, po_id: 'PO-2' },
  { warehouse: 'WH-N', sku: 'TEE', at: at(0, 13), qty: 5, unit_cost: 10, po_id: 'PO-3' },
  { warehouse: 'WH-N', sku: 'CAP', at: at(1, 11), qty: 2, unit_cost: 5, po_id: 'PO-5' },
];

export function supplierOtif(
  pos: PurchaseOrder[],
  rs: Receipt[],
  from: string,
  to: string,
  keep: (po: PurchaseOrder) => boolean,
) {
  let due = 0;
  let onTime = 0;
  let inFull = 0;
  let otif = 0;
  for (const po of pos.filter((p) => p.expected_at >= from && p.expected_at < to && keep(p))) {
    for (const sku of new Set(po.lines.map((l) => l.sku))) {
      const ordered = po.lines.filter((l) => l.sku === sku).reduce((acc, l) => acc + l.qty, 0);
      const got = rs.filter((r) => r.po_id === po.po_id && r.sku === sku);
      const byDue = got.filter((r) => r.at <= po.expected_at);
      due++;
      if (byDue.length > 0) onTime++;
      if (got.reduce((acc, r) => acc + r.qty, 0) >= ordered) inFull++;
      if (byDue.reduce((acc, r) => acc + r.qty, 0) >= ordered) otif++;
    }
  }
  return { due, otif: otif / due, onTime: onTime / due, inFull: inFull / due };
}
