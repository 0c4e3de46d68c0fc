/**
 * What the key of an entity listed behind a KPI names: it decides which drill-through page opens
 * the entity and what a list of them is called. Stock positions key a SKU at a warehouse (and a day).
 */
export const ENTITY_KINDS = {
  order: { one: 'order', many: 'orders' },
  return: { one: 'return', many: 'returns' },
  refund: { one: 'refund', many: 'refunds' },
  pick: { one: 'pick', many: 'picks' },
  'purchase-order': { one: 'purchase order', many: 'purchase orders' },
  'stock-position': { one: 'SKU at a warehouse', many: 'SKUs at a warehouse' },
  'stock-position-day': { one: 'SKU-day at a warehouse', many: 'SKU-days at a warehouse' },
} as const;

export type EntityKind = keyof typeof ENTITY_KINDS;

/** "1 order", "100 orders". */
export function countEntities(count: number, kind: EntityKind): string {
  const names = ENTITY_KINDS[kind];
  return `${count.toLocaleString('en-US')} ${count === 1 ? names.one : names.many}`;
}
