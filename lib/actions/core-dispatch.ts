import type { CoreAnswer, CoreCaller, TransactionalCore } from '../core/transactional-core';
import type { ActionName, ActionPayload } from './action-requests';

/** Which core call each action is, and which entity it acts on (for the audit log and its filters). */
type Dispatch = { [A in ActionName]: { entity(p: ActionPayload<A>): { type: string; id: string }; call(core: TransactionalCore, c: CoreCaller, p: ActionPayload<A>): Promise<CoreAnswer> } };

const order = (p: { orderId: string }) => ({ type: 'order', id: p.orderId });
const refund = (p: { refundId: string }) => ({ type: 'refund', id: p.refundId });
const stock = (p: { warehouse: string; sku: string }) => ({ type: 'stock', id: `${p.warehouse}/${p.sku}` });

export const coreDispatch: Dispatch = {
  release_hold: { entity: order, call: (core, c, p) => core.releaseOrderHold(c, p) },
  cancel_order: { entity: order, call: (core, c, p) => core.cancelOrder(c, p) },
  reallocate_order: { entity: order, call: (core, c, p) => core.reallocateOrder(c, p) },
  expedite_order: { entity: order, call: (core, c, p) => core.expediteOrder(c, p) },
  split_shipment: { entity: order, call: (core, c, p) => core.splitShipment(c, p) },
  approve_refund: { entity: refund, call: (core, c, p) => core.approveRefund(c, p) },
  reject_refund: { entity: refund, call: (core, c, p) => core.rejectRefund(c, p) },
  set_return_disposition: { entity: (p) => ({ type: 'return', id: p.returnId }), call: (core, c, p) => core.setReturnDisposition(c, p) },
  post_stock_count: { entity: stock, call: (core, c, p) => core.postStockCount(c, p) },
  create_replenishment_po: { entity: stock, call: (core, c, p) => core.createReplenishmentPo(c, p) },
};

/** The entity a validated payload names. */
export function entityOf<A extends ActionName>(action: A, payload: ActionPayload<A>): { type: string; id: string } {
  return coreDispatch[action].entity(payload);
}

export function callCore<A extends ActionName>(core: TransactionalCore, caller: CoreCaller, action: A, payload: ActionPayload<A>): Promise<CoreAnswer> {
  return coreDispatch[action].call(core, caller, payload);
}
