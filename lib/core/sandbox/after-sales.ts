import type { Category } from './catalogue';
import { restock } from './inventory';
import type { Disposition, ReturnReasonCode } from './sandbox-events';
import { DAY, HOUR, MINUTE, round2, type SimContext } from './sim-context';
import type { Order, Refund, ReturnCase, ReturnLine } from './world';

/** Returns and refunds, from a customer's request to the money leaving. */
const CHANNEL_RETURN_FACTOR: Record<string, number> = { web: 1, amazon: 0.9, zalando: 1.8, b2b: 0.2 };

const SOFT_GOODS_REASONS: readonly (readonly [ReturnReasonCode, number])[] = [
  ['size', 0.45],
  ['changed_mind', 0.2],
  ['not_as_described', 0.14],
  ['damaged', 0.05],
  ['wrong_item', 0.05],
  ['defective', 0.05],
  ['late', 0.06],
];
const HARD_GOODS_REASONS: readonly (readonly [ReturnReasonCode, number])[] = [
  ['defective', 0.35],
  ['changed_mind', 0.25],
  ['not_as_described', 0.15],
  ['damaged', 0.12],
  ['wrong_item', 0.08],
  ['late', 0.05],
];

function reasonFor(ctx: SimContext, category: Category | undefined): ReturnReasonCode {
  return ctx.rng.weighted(category === 'apparel' || category === 'footwear' ? SOFT_GOODS_REASONS : HARD_GOODS_REASONS);
}

const REFUND_METHOD: Record<string, string> = { card: 'card', apple_pay: 'card', paypal: 'paypal', marketplace: 'marketplace', invoice: 'credit_note' };

/** At delivery: decide whether (and which of) the order comes back, and when the customer asks. */
export function planReturn(ctx: SimContext, order: Order, deliveredAt: number): void {
  const shipment = order.shipment;
  if (!shipment) return;
  const damaged = shipment.planned_exception === 'damaged';
  const factor = CHANNEL_RETURN_FACTOR[order.channel] ?? 1;
  const lines: ReturnLine[] = [];
  for (const l of order.lines) {
    if (l.qty_shipped === 0) continue;
    const sku = ctx.catalogue.bySku.get(l.sku);
    const p = damaged ? 0.7 : (sku?.returnRate ?? 0.1) * factor;
    if (!ctx.rng.chance(p)) continue;
    lines.push({
      sku: l.sku,
      qty: l.qty_shipped > 1 && ctx.rng.chance(0.4) ? ctx.rng.int(1, l.qty_shipped) : l.qty_shipped,
      reason_code: damaged ? 'damaged' : reasonFor(ctx, sku?.category),
      unit_price: round2(l.unit_price - l.discount / l.qty),
      condition: null,
      disposition: null,
      recovery_value: null,
    });
  }
  if (!lines.length) return;
  const requestAt = deliveredAt + (damaged ? ctx.rng.between(0.1, 2) : 1 + ctx.rng.next() * ctx.rng.next() * 19) * DAY;
  const rma: ReturnCase = {
    return_id: ctx.nextId('return'),
    order_id: order.order_id,
    channel: order.channel,
    warehouse: shipment.warehouse,
    payment_method: order.payment_method,
    status: 'pending',
    requested_at: requestAt,
    refund_id: null,
    next_at: requestAt,
    lines,
  };
  ctx.world.returns.set(rma.return_id, rma);
  ctx.world.dirty.returns.add(rma.return_id);
  ctx.schedule('return', rma.return_id, requestAt);
}

function planReturnStep(ctx: SimContext, rma: ReturnCase, at: number | null): void {
  rma.next_at = at;
  ctx.world.dirty.returns.add(rma.return_id);
  if (at !== null) ctx.schedule('return', rma.return_id, at);
}

function returnValue(rma: ReturnCase): number {
  return round2(rma.lines.reduce((a, l) => a + l.qty * l.unit_price, 0));
}

const DISPOSITION_BY_CONDITION: Record<string, readonly (readonly [Disposition, number])[]> = {
  new: [['restock', 0.9], ['refurbish', 0.1]],
  opened: [['restock', 0.45], ['refurbish', 0.25], ['liquidate', 0.3]],
  damaged: [['vendor_claim', 0.35], ['scrap', 0.35], ['liquidate', 0.3]],
};
export const RECOVERY_FACTOR: Record<Disposition, number> = { restock: 1, refurbish: 0.6, vendor_claim: 0.5, liquidate: 0.25, scrap: 0 };

export function advanceReturn(ctx: SimContext, rma: ReturnCase, at: number): void {
  switch (rma.status) {
    case 'pending': {
      rma.status = 'requested';
      ctx.emit('return.requested', at, { return_id: rma.return_id, order_id: rma.order_id, channel: rma.channel, lines: rma.lines.map((l) => ({ sku: l.sku, qty: l.qty, reason_code: l.reason_code })) });
      return planReturnStep(ctx, rma, at + ctx.rng.between(1, 24) * HOUR);
    }
    case 'requested': {
      if (ctx.rng.chance(0.05)) {
        rma.status = 'rejected';
        ctx.emit('return.rejected', at, { return_id: rma.return_id, reason: ctx.rng.pick(['outside_return_window', 'final_sale_item']) });
        return planReturnStep(ctx, rma, null);
      }
      rma.status = 'authorized';
      ctx.emit('return.authorized', at, { return_id: rma.return_id });
      return planReturnStep(ctx, rma, at + ctx.rng.between(2, 8) * DAY);
    }
    case 'authorized': {
      rma.status = 'received';
      for (const l of rma.lines) {
        l.condition = l.reason_code === 'damaged' || l.reason_code === 'defective' ? 'damaged' : ctx.rng.chance(0.55) ? 'new' : 'opened';
      }
      ctx.emit('return.received', at, { return_id: rma.return_id, warehouse: rma.warehouse, lines: rma.lines.map((l) => ({ sku: l.sku, qty: l.qty, condition: l.condition ?? 'opened' })) });
      // Some channels refund on receipt, before anyone has looked at the goods.
      if (rma.channel === 'amazon' ? ctx.rng.chance(0.2) : ctx.rng.chance(0.02)) openReturnRefund(ctx, rma, at + ctx.rng.between(5, 60) * MINUTE);
      const inspectHours = ctx.rng.chance(0.9) ? ctx.rng.between(4, 60) : ctx.rng.between(72, 150);
      return planReturnStep(ctx, rma, at + inspectHours * HOUR);
    }
    case 'received': {
      rma.status = 'inspected';
      for (const l of rma.lines) {
        l.disposition = ctx.rng.weighted(DISPOSITION_BY_CONDITION[l.condition ?? 'opened'] ?? DISPOSITION_BY_CONDITION.opened);
        l.recovery_value = round2(l.qty * l.unit_price * RECOVERY_FACTOR[l.disposition]);
        if (l.disposition === 'restock') restock(ctx, rma.warehouse, l.sku, l.qty);
      }
      ctx.emit('return.inspected', at, {
        return_id: rma.return_id,
        lines: rma.lines.map((l) => ({ sku: l.sku, qty: l.qty, disposition: l.disposition ?? 'scrap', recovery_value: l.recovery_value ?? 0 })),
      });
      if (!rma.refund_id) openReturnRefund(ctx, rma, at + ctx.rng.between(5, 60) * MINUTE);
      return planReturnStep(ctx, rma, null);
    }
    default:
      return planReturnStep(ctx, rma, null);
  }
}

export function openReturnRefund(ctx: SimContext, rma: ReturnCase, at: number): void {
  const refund = createRefund(ctx, { orderId: rma.order_id, paymentMethod: rma.payment_method, amount: returnValue(rma), at, returnId: rma.return_id });
  rma.refund_id = refund.refund_id;
}

/** A refund owed without a return (short shipment, lost parcel), requested at `at`. */
export function requestRefund(ctx: SimContext, o: { order: Order; amount: number; at: number; returnId: string | null }): void {
  createRefund(ctx, { orderId: o.order.order_id, paymentMethod: o.order.payment_method, amount: o.amount, at: o.at, returnId: o.returnId });
}

function createRefund(ctx: SimContext, o: { orderId: string; paymentMethod: string; amount: number; at: number; returnId: string | null }): Refund {
  const refund: Refund = {
    refund_id: ctx.nextId('refund'),
    order_id: o.orderId,
    return_id: o.returnId,
    amount: o.amount,
    method: REFUND_METHOD[o.paymentMethod] ?? 'card',
    status: 'pending',
    outcome: ctx.rng.chance(0.03) ? 'reject' : 'approve',
    requested_at: o.at,
    next_at: o.at,
  };
  ctx.world.refunds.set(refund.refund_id, refund);
  ctx.world.dirty.refunds.add(refund.refund_id);
  ctx.schedule('refund', refund.refund_id, o.at);
  return refund;
}

export function planRefundStep(ctx: SimContext, refund: Refund, at: number | null): void {
  refund.next_at = at;
  ctx.world.dirty.refunds.add(refund.refund_id);
  if (at !== null) ctx.schedule('refund', refund.refund_id, at);
}

export function advanceRefund(ctx: SimContext, refund: Refund, at: number): void {
  switch (refund.status) {
    case 'pending':
      refund.status = 'requested';
      ctx.emit('refund.requested', at, { refund_id: refund.refund_id, order_id: refund.order_id, amount: refund.amount, ...(refund.return_id ? { return_id: refund.return_id } : {}) });
      return planRefundStep(ctx, refund, at + ctx.rng.between(1, 36) * HOUR);
    case 'requested':
      if (refund.outcome === 'reject') {
        refund.status = 'rejected';
        ctx.emit('refund.rejected', at, { refund_id: refund.refund_id, reason: refund.return_id ? 'inspection_failed' : 'not_eligible' });
        return planRefundStep(ctx, refund, null);
      }
      refund.status = 'approved';
      ctx.emit('refund.approved', at, { refund_id: refund.refund_id, approver: refund.amount > 250 ? 'finance-lead' : 'refund-policy-auto' });
      return planRefundStep(ctx, refund, at + ctx.rng.between(1, 24) * HOUR);
    case 'approved':
      refund.status = 'issued';
      ctx.emit('refund.issued', at, { refund_id: refund.refund_id, order_id: refund.order_id, amount: refund.amount, method: refund.method });
      return planRefundStep(ctx, refund, null);
    default:
      return planRefundStep(ctx, refund, null);
  }
}
