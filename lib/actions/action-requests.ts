import { z } from 'zod';

/**
 * The actions an ops lead can take from the tower, each one call on the TransactionalCore. The
 * request shape is shared by the browser, the API route and the action service.
 */
const id = z.string().min(1).max(128);

export const actionPayloadSchemas = {
  release_hold: z.object({ orderId: id }),
  cancel_order: z.object({ orderId: id, reason: z.string().min(1).max(200) }),
  reallocate_order: z.object({ orderId: id, warehouse: id }),
  expedite_order: z.object({ orderId: id }),
  split_shipment: z.object({ orderId: id }),
  approve_refund: z.object({ refundId: id }),
  reject_refund: z.object({ refundId: id, reason: z.string().min(1).max(200) }),
  set_return_disposition: z.object({
    returnId: id,
    lines: z
      .array(z.object({ sku: id, qty: z.number().int().min(1), disposition: z.enum(['restock', 'refurbish', 'vendor_claim', 'liquidate', 'scrap']) }))
      .min(1),
  }),
  post_stock_count: z.object({ warehouse: id, sku: id, countedQty: z.number().int().min(0) }),
  create_replenishment_po: z.object({ warehouse: id, sku: id, qty: z.number().int().min(1) }),
} as const;

export type ActionName = keyof typeof actionPayloadSchemas;
export const actionNames = Object.keys(actionPayloadSchemas) as ActionName[];
export type ActionPayload<A extends ActionName> = z.infer<(typeof actionPayloadSchemas)[A]>;

export const ACTION_LABELS: Record<ActionName, string> = {
  release_hold: 'Release hold',
  cancel_order: 'Cancel order',
  reallocate_order: 'Reallocate to another warehouse',
  expedite_order: 'Expedite',
  split_shipment: 'Split shipment',
  approve_refund: 'Approve refund',
  reject_refund: 'Reject refund',
  set_return_disposition: 'Set return disposition',
  post_stock_count: 'Post stock count',
  create_replenishment_po: 'Create replenishment PO',
};

/** POST /api/actions. The idempotency key makes a retry or a double click one effect. */
export const actionRequestSchema = z.object({
  action: z.enum(actionNames as [ActionName, ...ActionName[]]),
  payload: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string().min(8).max(128),
  /** The exception the action was taken from, if any (kept in the audit row). */
  exceptionId: z.string().optional(),
});
export type ActionRequest = z.infer<typeof actionRequestSchema>;

/** The answer: done, or waiting for a second person's approval (refunds above the threshold). */
export const actionOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('done'), summary: z.string(), auditId: z.string() }),
  z.object({ status: z.literal('awaiting_approval'), summary: z.string(), requestId: z.string() }),
]);
export type ActionOutcome = z.infer<typeof actionOutcomeSchema>;
