import { CoreRefusal } from '../../transactional-core';
import { WAREHOUSES } from '../catalogue';
import { stockLevel } from '../inventory';
import { DAY, HOUR, iso, type SimContext } from '../sim-context';
import { stockKey, type PurchaseOrder } from '../world';

/** Stock decisions: a count posted by the floor, a purchase order raised by a planner. */
export function checkStockItem(ctx: SimContext, warehouse: string, sku: string): void {
  if (!(WAREHOUSES as readonly string[]).includes(warehouse)) {
    throw new CoreRefusal('invalid_request', `There is no warehouse ${warehouse}; choose one of ${WAREHOUSES.join(', ')}.`);
  }
  if (!ctx.catalogue.bySku.has(sku)) throw new CoreRefusal('not_found', `The sandbox catalogue has no SKU ${sku}.`);
}

export function postStockCount(ctx: SimContext, warehouse: string, sku: string, counted: number, at: number): string {
  checkStockItem(ctx, warehouse, sku);
  const level = stockLevel(ctx, warehouse, sku);
  if (counted < level.reserved) {
    throw new CoreRefusal(
      'invalid_state',
      `${level.reserved} units of ${sku} at ${warehouse} are reserved for open orders and sit in totes; a count of ${counted} cannot be right — recount, or cancel or reallocate those orders first.`,
    );
  }
  const expected = level.on_hand;
  level.on_hand = counted;
  level.last_counted_at = at;
  ctx.world.dirty.stock.add(stockKey(warehouse, sku));
  ctx.emit('stock.adjusted', at, { warehouse, sku, qty_delta: counted - expected, reason: 'cycle_count', expected_qty: expected, counted_qty: counted });
  const delta = counted - expected;
  return delta === 0
    ? `Count of ${sku} at ${warehouse} matches the system: ${counted} on hand.`
    : `Adjusted ${sku} at ${warehouse} from ${expected} to ${counted} on hand (${delta > 0 ? '+' : ''}${delta}) after the count.`;
}

export function createReplenishmentPo(ctx: SimContext, warehouse: string, sku: string, qty: number, at: number): { summary: string; poId: string } {
  checkStockItem(ctx, warehouse, sku);
  const item = ctx.catalogue.bySku.get(sku);
  const supplier = item ? ctx.catalogue.supplierById.get(item.supplier) : undefined;
  if (!item || !supplier) throw new CoreRefusal('not_found', `SKU ${sku} has no supplier in the sandbox catalogue.`);
  const expected = at + supplier.leadTimeDays * DAY;
  const late = ctx.rng.chance(supplier.lateProbability);
  const arrives = late ? expected + ctx.rng.between(1, 5) * DAY : expected - ctx.rng.between(0, 1) * DAY;
  const po: PurchaseOrder = {
    po_id: ctx.nextId('po'),
    supplier: supplier.id,
    warehouse,
    status: 'open',
    created_at: at,
    expected_at: expected,
    arrives_at: Math.max(at + HOUR, arrives),
    lines: [{ sku, qty, unit_cost: item.cost, qty_received: 0 }],
  };
  ctx.world.pos.set(po.po_id, po);
  ctx.world.dirty.pos.add(po.po_id);
  ctx.emit('po.created', at, { po_id: po.po_id, supplier: po.supplier, warehouse, lines: [{ sku, qty, unit_cost: item.cost }], expected_at: iso(expected) });
  ctx.schedule('po', po.po_id, po.arrives_at);
  return { poId: po.po_id, summary: `Raised ${po.po_id} with ${supplier.id} for ${qty} × ${sku} into ${warehouse}, expected ${iso(expected).slice(0, 10)}.` };
}
