import type { Kysely } from 'kysely';
import type { CoreReader } from '../entity-views';
import type { CoreAnswer, CoreCaller, TransactionalCore } from '../transactional-core';
import { approveRefund, rejectRefund, setReturnDisposition } from './actions/after-sales-actions';
import { orderView, refundView, returnView, stockView } from './actions/entity-views';
import { describeOrder, describeRefund, describeReturn, findOrder, findRefund, findReturn } from './actions/find-entity';
import { cancelOrder, expediteOrder, reallocateOrder, releaseOrderHold } from './actions/order-actions';
import { splitShipment } from './actions/split-shipment';
import { createReplenishmentPo, postStockCount } from './actions/stock-actions';
import type { Simulation } from './simulation';

/** One change to the world, as the action reports it before its events are known. */
export interface ActionDraft {
  summary: string;
  before: unknown;
  after: unknown;
}

/**
 * Runs `change` on the world at the current time, inside the core's exclusive section, then saves
 * the state with the events it produced and delivers them like the stream's own.
 */
export type RunAction = (change: (sim: Simulation, at: number) => Promise<ActionDraft>) => Promise<CoreAnswer>;

/** The sandbox as a TransactionalCore: every action really changes the simulated retailer. */
export function createSandboxActions(o: { db: Kysely<object>; run: RunAction; world: () => Simulation | null }): TransactionalCore & CoreReader {
  const { db, run } = o;
  const onOrder = (orderId: string, change: (sim: Simulation, order: Awaited<ReturnType<typeof findOrder>>, at: number) => string) =>
    run(async (sim, at) => {
      const order = await findOrder(sim.world, db, orderId);
      const before = orderView(order);
      const summary = change(sim, order, at);
      return { summary, before, after: orderView(order) };
    });
  const onRefund = (refundId: string, change: (sim: Simulation, refund: Awaited<ReturnType<typeof findRefund>>, at: number) => string) =>
    run(async (sim, at) => {
      const refund = await findRefund(sim.world, db, refundId);
      const before = refundView(refund);
      const summary = change(sim, refund, at);
      return { summary, before, after: refundView(refund) };
    });
  const onStock = (warehouse: string, sku: string, change: (sim: Simulation, at: number) => string) =>
    run(async (sim, at) => {
      const before = stockView(sim.world, warehouse, sku);
      const summary = change(sim, at);
      return { summary, before, after: stockView(sim.world, warehouse, sku) };
    });
  const world = () => o.world()?.world;

  return {
    name: 'sandbox',
    releaseOrderHold: (c: CoreCaller, p) => onOrder(p.orderId, (sim, order, at) => releaseOrderHold(sim, order, c, at)),
    cancelOrder: (_c, p) => onOrder(p.orderId, (sim, order, at) => cancelOrder(sim, order, p.reason, at)),
    reallocateOrder: (_c, p) => onOrder(p.orderId, (sim, order, at) => reallocateOrder(sim, order, p.warehouse, at)),
    expediteOrder: (_c, p) => onOrder(p.orderId, (sim, order, at) => expediteOrder(sim, order, at)),
    splitShipment: (_c, p) => onOrder(p.orderId, (sim, order, at) => splitShipment(sim, order, at)),
    approveRefund: (c, p) => onRefund(p.refundId, (sim, refund, at) => approveRefund(sim, refund, c, at)),
    rejectRefund: (_c, p) => onRefund(p.refundId, (sim, refund, at) => rejectRefund(sim, refund, p.reason, at)),
    setReturnDisposition: (_c, p) =>
      run(async (sim, at) => {
        const rma = await findReturn(sim.world, db, p.returnId);
        const before = returnView(rma);
        const summary = setReturnDisposition(sim, rma, p.lines, at);
        return { summary, before, after: returnView(rma) };
      }),
    postStockCount: (_c, p) => onStock(p.warehouse, p.sku, (sim, at) => postStockCount(sim, p.warehouse, p.sku, p.countedQty, at)),
    createReplenishmentPo: (_c, p) => onStock(p.warehouse, p.sku, (sim, at) => createReplenishmentPo(sim, p.warehouse, p.sku, p.qty, at).summary),
    async describeOrder(orderId) {
      const w = world();
      return w ? describeOrder(w, db, orderId) : null;
    },
    async describeRefund(refundId) {
      const w = world();
      return w ? describeRefund(w, db, refundId) : null;
    },
    async describeReturn(returnId) {
      const w = world();
      return w ? describeReturn(w, db, returnId) : null;
    },
  };
}
