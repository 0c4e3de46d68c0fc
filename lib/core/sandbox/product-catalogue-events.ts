import { createHash } from 'node:crypto';
import type { SimContext } from './sim-context';

/**
 * Describes every SKU of the catalogue to the tower (`product.updated`: category, value class,
 * standard cost, supplier, name), so its KPIs can slice by category, judge counts by value class
 * and value stock at cost. Sent when a retailer opens, before any of its history. The id is stable
 * for a SKU as long as its description is unchanged, so sending the catalogue again is a no-op
 * and a changed SKU is a new event.
 */
export function emitProductCatalogue(ctx: SimContext, at: number): void {
  for (const s of ctx.catalogue.skus) {
    const data = {
      sku: s.sku,
      category: s.category,
      name: s.name,
      value_class: s.valueClass,
      unit_cost: s.cost,
      supplier: s.supplier,
    };
    ctx.emit('product.updated', at, data, `sbx-${uuidShaped(JSON.stringify(['product.updated', data]))}`);
  }
}

/** A UUID-shaped digest of `text`: sandbox ids keep one shape, `sbx-` and a UUID. */
function uuidShaped(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
