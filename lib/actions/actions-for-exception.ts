import type { ExceptionItem, EntityKind } from '../exceptions/exception-item';
import type { ActionName } from './action-requests';

/** What a person must add before an action can be sent; the rest comes from the exception. */
export type ActionInput = 'reason' | 'warehouse' | 'countedQty' | 'qty' | 'disposition';

export interface ActionOffer {
  action: ActionName;
  /** The payload fields known from the exception itself. */
  known: Record<string, string>;
  ask: ActionInput[];
}

const byEntity: Partial<Record<EntityKind, { idField: string; offers: { action: ActionName; ask: ActionInput[] }[] }>> = {
  order: {
    idField: 'orderId',
    offers: [
      { action: 'release_hold', ask: [] },
      { action: 'expedite_order', ask: [] },
      { action: 'reallocate_order', ask: ['warehouse'] },
      { action: 'split_shipment', ask: [] },
      { action: 'cancel_order', ask: ['reason'] },
    ],
  },
  refund: {
    idField: 'refundId',
    offers: [
      { action: 'approve_refund', ask: [] },
      { action: 'reject_refund', ask: ['reason'] },
    ],
  },
  return: { idField: 'returnId', offers: [{ action: 'set_return_disposition', ask: ['disposition'] }] },
};

/** Which order actions make sense in which queue (none elsewhere); other entities carry their own set above. */
const orderActionsByQueue: Partial<Record<ExceptionItem['queue'], ActionName[]>> = {
  order_holds: ['release_hold', 'cancel_order'],
  stock_shortages: ['reallocate_order', 'split_shipment', 'cancel_order'],
  fulfilment_delays: ['expedite_order', 'reallocate_order', 'cancel_order'],
};

/** The actions that fit an exception, in the order an ops lead would reach for them. */
export function actionsForException(item: Pick<ExceptionItem, 'queue' | 'entities' | 'warehouse'>): ActionOffer[] {
  const offers: ActionOffer[] = [];
  for (const entity of item.entities) {
    const spec = byEntity[entity.kind];
    if (spec) {
      const allowed = entity.kind === 'order' ? (orderActionsByQueue[item.queue] ?? []) : undefined;
      for (const o of spec.offers) {
        if (allowed && !allowed.includes(o.action)) continue;
        offers.push({ action: o.action, known: { [spec.idField]: entity.id }, ask: o.ask });
      }
    }
    if (entity.kind === 'sku' && item.warehouse) {
      const known = { sku: entity.id, warehouse: item.warehouse };
      if (item.queue === 'inventory_discrepancies') offers.push({ action: 'post_stock_count', known, ask: ['countedQty'] });
      if (item.queue === 'stock_shortages') offers.push({ action: 'create_replenishment_po', known, ask: ['qty'] });
    }
  }
  const seen = new Set<string>();
  return offers.filter((o) => {
    const key = `${o.action}:${JSON.stringify(o.known)}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
