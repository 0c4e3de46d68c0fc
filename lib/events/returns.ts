import { z } from 'zod';
import { defineEvent } from './envelope';
import { label, lines, money, note, oneOf, quantity, reference, sku } from './fields';

/** Returns and refunds (EVENTS.md, "Returns and refunds"). Return reason codes are free strings. */

export const DISPOSITIONS = ['restock', 'refurbish', 'vendor_claim', 'liquidate', 'scrap'] as const;

export const returnRequested = defineEvent('return.requested', {
  return_id: reference(),
  order_id: reference(),
  lines: lines(z.looseObject({ sku: sku(), qty: quantity(), reason_code: label() })),
  channel: label().optional(),
});

export const returnAuthorized = defineEvent('return.authorized', { return_id: reference() });

export const returnRejected = defineEvent('return.rejected', {
  return_id: reference(),
  reason: note().min(1, { error: 'expected a non-empty reason' }),
});

export const returnReceived = defineEvent('return.received', {
  return_id: reference(),
  warehouse: label(),
  lines: lines(z.looseObject({ sku: sku(), qty: quantity(), condition: label() })),
});

export const returnInspected = defineEvent('return.inspected', {
  return_id: reference(),
  lines: lines(
    z.looseObject({
      sku: sku(),
      qty: quantity(),
      disposition: oneOf(DISPOSITIONS),
      recovery_value: money().optional(),
    }),
  ),
});

export const refundRequested = defineEvent('refund.requested', {
  refund_id: reference(),
  order_id: reference(),
  amount: money(),
  return_id: reference().optional(),
});

export const refundApproved = defineEvent('refund.approved', { refund_id: reference(), approver: label().optional() });

export const refundIssued = defineEvent('refund.issued', {
  refund_id: reference(),
  order_id: reference(),
  amount: money(),
  method: label().optional(),
});

export const refundRejected = defineEvent('refund.rejected', {
  refund_id: reference(),
  reason: note().min(1, { error: 'expected a non-empty reason' }),
});

export const returnEvents = [
  returnRequested,
  returnAuthorized,
  returnRejected,
  returnReceived,
  returnInspected,
  refundRequested,
  refundApproved,
  refundIssued,
  refundRejected,
] as const;
