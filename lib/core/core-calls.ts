import { z } from 'zod';
import { actionPayloadSchemas as p } from '../actions/action-requests';
import type { ConnectedCore } from './core-slot';

const caller = z.object({ userId: z.string().min(1).max(128), name: z.string().max(200) });
const entityId = z.tuple([z.string().min(1).max(128)]);

/**
 * Every call a connected core answers, with its arguments as they cross the wire between a web
 * process and the process that runs the core (split mode). The payloads are the actions' own.
 */
export const coreCallArgs = {
  releaseOrderHold: z.tuple([caller, p.release_hold]),
  cancelOrder: z.tuple([caller, p.cancel_order]),
  reallocateOrder: z.tuple([caller, p.reallocate_order]),
  expediteOrder: z.tuple([caller, p.expedite_order]),
  splitShipment: z.tuple([caller, p.split_shipment]),
  approveRefund: z.tuple([caller, p.approve_refund]),
  rejectRefund: z.tuple([caller, p.reject_refund]),
  setReturnDisposition: z.tuple([caller, p.set_return_disposition]),
  postStockCount: z.tuple([caller, p.post_stock_count]),
  createReplenishmentPo: z.tuple([caller, p.create_replenishment_po]),
  describeOrder: entityId,
  describeRefund: entityId,
  describeReturn: entityId,
} satisfies { [M in CoreMethod]: z.ZodType<Parameters<ConnectedCore[M]>> };

export type CoreMethod = Exclude<keyof ConnectedCore, 'name'>;
export const coreMethods = Object.keys(coreCallArgs) as CoreMethod[];

export const coreCallSchema = z.object({ method: z.enum(coreMethods), args: z.array(z.unknown()).max(2) });

/** The answer on the wire: the call's result, or the core's refusal, which the caller rethrows as one. */
export const coreReplySchema = z.union([
  z.object({ result: z.unknown() }),
  z.object({
    refusal: z.object({
      code: z.enum(['not_found', 'invalid_state', 'invalid_request', 'unavailable']),
      message: z.string(),
    }),
  }),
  z.object({ error: z.string() }),
]);

/** The path the core's process serves calls on; not under /api, which the web's routes own. */
export const CORE_CALL_PATH = '/internal/core';
