import { CoreRefusal, type CoreCaller } from '../../transactional-core';
import { RECOVERY_FACTOR, openReturnRefund, planRefundStep } from '../after-sales';
import { restock } from '../inventory';
import type { Disposition } from '../sandbox-events';
import { MINUTE, round2, type SimContext } from '../sim-context';
import type { Refund, ReturnCase, ReturnLine } from '../world';

/** Decisions on refunds and returns that the sandbox otherwise takes by itself. */
function refuseRefund(refund: Refund, what: string): never {
  const state = refund.status === 'pending' ? 'not requested yet' : refund.status;
  throw new CoreRefusal('invalid_state', `Refund ${refund.refund_id} ${what} (it is ${state})`);
}

export function approveRefund(ctx: SimContext, refund: Refund, by: CoreCaller, at: number): string {
  if (refund.status !== 'requested') refuseRefund(refund, 'is not awaiting approval');
  refund.status = 'approved';
  refund.outcome = 'approve';
  ctx.emit('refund.approved', at, { refund_id: refund.refund_id, approver: by.name });
  // The next payment run issues it.
  planRefundStep(ctx, refund, at + ctx.rng.between(5, 60) * MINUTE);
  return `Approved refund ${refund.refund_id} of ${refund.amount.toFixed(2)} for order ${refund.order_id}; it is paid out in the next payment run (within the hour).`;
}

export function rejectRefund(ctx: SimContext, refund: Refund, reason: string, at: number): string {
  if (refund.status !== 'requested') refuseRefund(refund, 'is not awaiting approval');
  refund.status = 'rejected';
  refund.outcome = 'reject';
  ctx.emit('refund.rejected', at, { refund_id: refund.refund_id, reason });
  planRefundStep(ctx, refund, null);
  return `Rejected refund ${refund.refund_id} of ${refund.amount.toFixed(2)} for order ${refund.order_id}: ${reason}.`;
}

type DispositionLine = { sku: string; qty: number; disposition: Disposition };

/** The inspector's decision for each returned unit; a line may be split across dispositions. */
export function setReturnDisposition(ctx: SimContext, rma: ReturnCase, lines: readonly DispositionLine[], at: number): string {
  if (rma.status !== 'received') {
    const why = rma.status === 'inspected' ? 'has already been inspected' : 'has not been received yet; inspect it when it arrives';
    throw new CoreRefusal('invalid_state', `Return ${rma.return_id} ${why} (it is ${rma.status})`);
  }
  const returned = new Map<string, number>();
  for (const l of rma.lines) returned.set(l.sku, (returned.get(l.sku) ?? 0) + l.qty);
  const decided = new Map<string, number>();
  for (const l of lines) {
    if (!returned.has(l.sku)) throw new CoreRefusal('invalid_request', `Return ${rma.return_id} has no ${l.sku}; it holds ${[...returned.keys()].join(', ')}.`);
    decided.set(l.sku, (decided.get(l.sku) ?? 0) + l.qty);
  }
  for (const [sku, qty] of returned) {
    const got = decided.get(sku) ?? 0;
    if (got !== qty) throw new CoreRefusal('invalid_request', `Return ${rma.return_id} holds ${qty} × ${sku}; give a disposition for exactly that many (got ${got}).`);
  }
  const template = new Map(rma.lines.map((l) => [l.sku, l]));
  const inspected: ReturnLine[] = lines.map((l) => {
    const source = template.get(l.sku);
    if (!source) throw new CoreRefusal('invalid_request', `Return ${rma.return_id} has no ${l.sku}.`);
    return { ...source, qty: l.qty, disposition: l.disposition, recovery_value: round2(l.qty * source.unit_price * RECOVERY_FACTOR[l.disposition]) };
  });
  let restocked = 0;
  for (const l of inspected) {
    if (l.disposition !== 'restock') continue;
    restock(ctx, rma.warehouse, l.sku, l.qty);
    restocked += l.qty;
  }
  rma.lines = inspected;
  rma.status = 'inspected';
  ctx.emit('return.inspected', at, {
    return_id: rma.return_id,
    lines: inspected.map((l) => ({ sku: l.sku, qty: l.qty, disposition: l.disposition ?? 'scrap', recovery_value: l.recovery_value ?? 0 })),
  });
  if (!rma.refund_id) openReturnRefund(ctx, rma, at + ctx.rng.between(5, 60) * MINUTE);
  rma.next_at = null;
  ctx.world.dirty.returns.add(rma.return_id);
  return `Inspected return ${rma.return_id}: ${inspected.map((l) => `${l.qty} × ${l.sku} ${l.disposition}`).join(', ')}${restocked ? `; ${restocked} unit${restocked === 1 ? '' : 's'} back on hand at ${rma.warehouse}` : ''}.`;
}
