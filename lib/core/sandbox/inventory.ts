import { WAREHOUSES, regionByName, warehouseShare, type Supplier, type Warehouse } from './catalogue';
import { expectedUnitsPerOrder } from './order-intake';
import { DAY, HOUR, iso, type SimContext } from './sim-context';
import { stockKey, unitsToShip, type Order, type PurchaseOrder, type StockLevel } from './world';

/**
 * Stock by warehouse and SKU, purchase orders and counts. Invariant kept by every function here:
 * 0 ≤ reserved ≤ on_hand.
 */
export function stockLevel(ctx: SimContext, warehouse: string, sku: string): StockLevel {
  const key = stockKey(warehouse, sku);
  let level = ctx.world.stock.get(key);
  if (!level) {
    level = { warehouse, sku, on_hand: 0, reserved: 0, last_received_at: null, last_counted_at: null };
    ctx.world.stock.set(key, level);
  }
  return level;
}

function changed(ctx: SimContext, level: StockLevel): void {
  ctx.world.dirty.stock.add(stockKey(level.warehouse, level.sku));
}

/** Units per day a SKU sells from a warehouse at the current order rate. */
function dailyDemand(ctx: SimContext, warehouse: Warehouse, sku: string): number {
  const share = ctx.catalogue.bySku.get(sku)?.demandShare ?? 0;
  return ctx.ordersPerMinute * 1440 * expectedUnitsPerOrder * share * warehouseShare(warehouse);
}

/**
 * Opening stock for a new world: a few weeks of cover, unevenly, received on opening (so every unit
 * on hand has a receipt the tower can age), and the purchase orders already on their way.
 */
export function stockOpeningBalances(ctx: SimContext, at: number): void {
  for (const warehouse of WAREHOUSES) {
    for (const s of ctx.catalogue.skus) {
      const lead = ctx.catalogue.supplierById.get(s.supplier)?.leadTimeDays ?? 7;
      const level = stockLevel(ctx, warehouse, s.sku);
      level.on_hand = Math.max(2, Math.round(dailyDemand(ctx, warehouse, s.sku) * (lead + 12) * ctx.rng.between(0.7, 1.3)));
      level.last_received_at = at;
      changed(ctx, level);
      ctx.emit('stock.received', at, { warehouse, sku: s.sku, qty: level.on_hand, unit_cost: s.cost, supplier: s.supplier });
    }
  }
  openingPurchaseOrders(ctx, at);
}

/**
 * Orders placed before opening, due within each supplier's lead time: a week of demand per SKU
 * and warehouse, so supplier OTIF has lines coming due from the first days of a new world.
 */
function openingPurchaseOrders(ctx: SimContext, at: number): void {
  for (const supplier of ctx.catalogue.suppliers) {
    const skus = ctx.catalogue.skus.filter((s) => s.supplier === supplier.id);
    for (const warehouse of WAREHOUSES) {
      if (skus.length === 0) continue;
      const lines = skus.map((s) => ({ sku: s.sku, qty: Math.max(6, Math.ceil((dailyDemand(ctx, warehouse, s.sku) * 7) / 6) * 6), unit_cost: s.cost, qty_received: 0 }));
      placePurchaseOrder(ctx, supplier, warehouse, at, at + ctx.rng.between(0.5, supplier.leadTimeDays) * DAY, lines);
    }
  }
}

/** A PO is placed: most arrive by their expected date, a supplier's late share after it. */
function placePurchaseOrder(ctx: SimContext, supplier: Supplier, warehouse: string, at: number, expected: number, lines: PurchaseOrder['lines']): void {
  const late = ctx.rng.chance(supplier.lateProbability);
  const arrives = late ? expected + ctx.rng.between(1, 5) * DAY : expected - ctx.rng.between(0, 1) * DAY;
  const po: PurchaseOrder = { po_id: ctx.nextId('po'), supplier: supplier.id, warehouse, status: 'open', created_at: at, expected_at: expected, arrives_at: Math.max(at + HOUR, arrives), lines };
  ctx.world.pos.set(po.po_id, po);
  ctx.world.dirty.pos.add(po.po_id);
  ctx.emit('po.created', at, {
    po_id: po.po_id,
    supplier: po.supplier,
    warehouse: po.warehouse,
    lines: po.lines.map((l) => ({ sku: l.sku, qty: l.qty, unit_cost: l.unit_cost })),
    expected_at: iso(po.expected_at),
  });
  ctx.schedule('po', po.po_id, po.arrives_at);
}

/** Reserves the whole order in one warehouse (the region's own first), or returns null. */
export function allocate(ctx: SimContext, order: Order): Warehouse | null {
  const home = regionByName(order.region).warehouse;
  const candidates = [home, ...WAREHOUSES.filter((w) => w !== home)];
  for (const warehouse of candidates) {
    if (!canReserve(ctx, warehouse, order)) continue;
    reserveOrder(ctx, warehouse, order);
    return warehouse;
  }
  return null;
}

/** True when `warehouse` has every unit the order still needs free to reserve. */
export function canReserve(ctx: SimContext, warehouse: string, order: Order): boolean {
  return order.lines.every((l) => {
    const level = stockLevel(ctx, warehouse, l.sku);
    return level.on_hand - level.reserved >= unitsToShip(l);
  });
}

export function reserveOrder(ctx: SimContext, warehouse: string, order: Order): void {
  for (const l of order.lines) {
    const level = stockLevel(ctx, warehouse, l.sku);
    level.reserved += unitsToShip(l);
    changed(ctx, level);
  }
}

/** What the home warehouse lacks for this order, line by line. */
export function shortages(ctx: SimContext, order: Order): { warehouse: Warehouse; lines: { sku: string; qty_short: number }[] } {
  const warehouse = regionByName(order.region).warehouse;
  const lines = order.lines
    .map((l) => {
      const level = stockLevel(ctx, warehouse, l.sku);
      return { sku: l.sku, qty_short: Math.max(0, unitsToShip(l) - Math.max(0, level.on_hand - level.reserved)) };
    })
    .filter((l) => l.qty_short > 0);
  return { warehouse, lines: lines.length ? lines : order.lines.filter((l) => unitsToShip(l) > 0).map((l) => ({ sku: l.sku, qty_short: unitsToShip(l) })) };
}

export function unreserve(ctx: SimContext, warehouse: string, sku: string, qty: number): void {
  const level = stockLevel(ctx, warehouse, sku);
  level.reserved = Math.max(0, level.reserved - qty);
  changed(ctx, level);
}

/** Units leave the building: they were reserved, now they are gone. */
export function dispatchUnits(ctx: SimContext, warehouse: string, sku: string, qty: number): void {
  const level = stockLevel(ctx, warehouse, sku);
  level.on_hand -= qty;
  level.reserved -= qty;
  changed(ctx, level);
}

/** A short pick proves the system counted units that are not there: write them off. */
export function writeOffMissing(ctx: SimContext, warehouse: string, sku: string, qty: number, at: number): void {
  const level = stockLevel(ctx, warehouse, sku);
  const delta = Math.min(qty, level.on_hand);
  level.on_hand -= delta;
  level.reserved = Math.max(0, level.reserved - delta);
  changed(ctx, level);
  ctx.emit('stock.adjusted', at, { warehouse, sku, qty_delta: -delta, reason: 'shrink' });
}

export function restock(ctx: SimContext, warehouse: string, sku: string, qty: number): void {
  const level = stockLevel(ctx, warehouse, sku);
  level.on_hand += qty;
  changed(ctx, level);
}

/** The earliest open PO arrival promise for a SKU at a warehouse, for backorder ETAs. */
export function expectedRestock(ctx: SimContext, warehouse: string, sku: string): number | null {
  let best: number | null = null;
  for (const po of ctx.world.pos.values()) {
    if (po.status !== 'open' || po.warehouse !== warehouse) continue;
    if (po.lines.some((l) => l.sku === sku) && (best === null || po.expected_at < best)) best = po.expected_at;
  }
  return best;
}

/** Hourly: order what will run short within lead time plus safety, one PO per supplier and warehouse. */
export function reviewReplenishment(ctx: SimContext, at: number): void {
  const onOrder = new Map<string, number>();
  for (const po of ctx.world.pos.values()) {
    if (po.status !== 'open') continue;
    for (const l of po.lines) onOrder.set(stockKey(po.warehouse, l.sku), (onOrder.get(stockKey(po.warehouse, l.sku)) ?? 0) + l.qty);
  }
  const waiting = new Map<string, number>();
  for (const o of ctx.world.orders.values()) {
    if (o.status !== 'backordered') continue;
    const home = regionByName(o.region).warehouse;
    for (const l of o.lines) waiting.set(stockKey(home, l.sku), (waiting.get(stockKey(home, l.sku)) ?? 0) + unitsToShip(l));
  }
  const drafts = new Map<string, { supplier: Supplier; warehouse: string; lines: PurchaseOrder['lines'] }>();
  for (const warehouse of WAREHOUSES) {
    for (const s of ctx.catalogue.skus) {
      const supplier = ctx.catalogue.supplierById.get(s.supplier);
      if (!supplier) continue;
      const key = stockKey(warehouse, s.sku);
      const level = stockLevel(ctx, warehouse, s.sku);
      const position = level.on_hand - level.reserved + (onOrder.get(key) ?? 0) - (waiting.get(key) ?? 0);
      const demand = dailyDemand(ctx, warehouse, s.sku);
      if (position >= demand * (supplier.leadTimeDays + 4)) continue;
      const qty = Math.max(6, Math.ceil((demand * (supplier.leadTimeDays + 18) - position) / 6) * 6);
      const draftKey = `${supplier.id}|${warehouse}`;
      const draft = drafts.get(draftKey) ?? { supplier, warehouse, lines: [] };
      drafts.set(draftKey, draft);
      draft.lines.push({ sku: s.sku, qty, unit_cost: s.cost, qty_received: 0 });
    }
  }
  for (const d of drafts.values()) placePurchaseOrder(ctx, d.supplier, d.warehouse, at, at + d.supplier.leadTimeDays * DAY, d.lines);
}

/** A PO arrives: mostly in full, sometimes short. */
export function receivePurchaseOrder(ctx: SimContext, po: PurchaseOrder, at: number): void {
  for (const l of po.lines) {
    l.qty_received = ctx.rng.chance(0.94) ? l.qty : Math.max(1, Math.round(l.qty * ctx.rng.between(0.6, 0.95)));
    const level = stockLevel(ctx, po.warehouse, l.sku);
    level.on_hand += l.qty_received;
    level.last_received_at = at;
    changed(ctx, level);
    ctx.emit('stock.received', at, { warehouse: po.warehouse, sku: l.sku, qty: l.qty_received, unit_cost: l.unit_cost, po_id: po.po_id, supplier: po.supplier });
  }
  po.status = 'received';
  ctx.world.dirty.pos.add(po.po_id);
}

/** Hourly: a few cycle counts (most match), the odd damaged or found unit. */
export function countAndAdjust(ctx: SimContext, at: number): void {
  const { skus } = ctx.catalogue;
  for (let i = 0; i < 4; i++) {
    const s = ctx.rng.pick(skus);
    const level = stockLevel(ctx, ctx.rng.pick(WAREHOUSES), s.sku);
    let counted = level.on_hand;
    if (ctx.rng.chance(0.1)) {
      const size = ctx.rng.int(1, Math.max(1, Math.round(level.on_hand * 0.06)));
      counted += ctx.rng.chance(0.65) ? -size : size;
    }
    // Reserved units sit in totes waiting for their picks; a count cannot find fewer than those.
    counted = Math.max(counted, level.reserved, 0);
    const expected = level.on_hand;
    level.on_hand = counted;
    level.last_counted_at = at;
    changed(ctx, level);
    ctx.emit('stock.adjusted', at, { warehouse: level.warehouse, sku: level.sku, qty_delta: counted - expected, reason: 'cycle_count', expected_qty: expected, counted_qty: counted });
  }
  if (ctx.rng.chance(0.3)) {
    const level = stockLevel(ctx, ctx.rng.pick(WAREHOUSES), ctx.rng.pick(skus).sku);
    const qty = Math.min(ctx.rng.int(1, 2), level.on_hand - level.reserved);
    if (qty > 0) {
      level.on_hand -= qty;
      changed(ctx, level);
      ctx.emit('stock.adjusted', at, { warehouse: level.warehouse, sku: level.sku, qty_delta: -qty, reason: 'damage' });
    }
  }
  if (ctx.rng.chance(0.08)) {
    const level = stockLevel(ctx, ctx.rng.pick(WAREHOUSES), ctx.rng.pick(skus).sku);
    level.on_hand += 1;
    changed(ctx, level);
    ctx.emit('stock.adjusted', at, { warehouse: level.warehouse, sku: level.sku, qty_delta: 1, reason: 'found' });
  }
}

/** The core's own count of every SKU-warehouse, for the tower to reconcile against. */
export function snapshotStock(ctx: SimContext, at: number): void {
  for (const warehouse of WAREHOUSES) {
    for (const s of ctx.catalogue.skus) {
      const level = stockLevel(ctx, warehouse, s.sku);
      ctx.emit('stock.snapshot', at, { warehouse, sku: s.sku, on_hand: level.on_hand, reserved: level.reserved });
    }
  }
}

