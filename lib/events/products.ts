import { defineEvent } from './envelope';
import { label, money, note, oneOf, sku } from './fields';

/**
 * The product dimension (an addition to contract v1): a SKU's category, value class and standard
 * cost. Sending it again updates the SKU; the latest `occurred_at` wins. KPI tiles are filtered
 * by category through it, and inventory accuracy takes each SKU's count tolerance from its
 * value class (A ±1 %, B ±3 %, C ±5 %; C when unknown).
 */
export const VALUE_CLASSES = ['A', 'B', 'C'] as const;

export const productUpdated = defineEvent('product.updated', {
  sku: sku(),
  category: label(),
  name: note().optional(),
  value_class: oneOf(VALUE_CLASSES).optional(),
  unit_cost: money().optional(),
  supplier: label().optional(),
});

export const productEvents = [productUpdated] as const;
