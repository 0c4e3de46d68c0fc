import { compositeKeyParts } from '@/lib/composite-key';
import type { EntityKind } from '@/lib/entity-kind';

/**
 * The drill-through page of an entity listed behind a KPI, and how to name it. Stock positions key
 * a SKU at a warehouse (and a day): those open the SKU's page narrowed to that warehouse. The href
 * is null when there is no page for that kind of entity (picks, purchase orders, refunds).
 */
export function entityLink(kind: EntityKind, key: string): { href: string | null; label: string } {
  switch (kind) {
    case 'order':
      return { href: `/orders/${encodeURIComponent(key)}`, label: key };
    case 'return':
      return { href: `/returns/${encodeURIComponent(key)}`, label: key };
    case 'stock-position':
    case 'stock-position-day': {
      const [warehouse, sku, day] = compositeKeyParts(key);
      return {
        href: `/skus/${encodeURIComponent(sku)}?warehouse=${encodeURIComponent(warehouse)}`,
        label: `${sku} at ${warehouse}${day ? ` on ${day}` : ''}`,
      };
    }
    case 'refund':
    case 'pick':
    case 'purchase-order':
      return { href: null, label: key };
  }
}
