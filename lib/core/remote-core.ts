import { z } from 'zod';
import { CORE_CALL_PATH, coreReplySchema, type CoreMethod } from './core-calls';
import type { ConnectedCore } from './core-slot';
import type { OrderView, RefundView, ReturnView } from './entity-views';
import { CoreRefusal, type CoreAnswer } from './transactional-core';

const answerSchema = z.object({
  summary: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  eventIds: z.array(z.string()),
});
const viewSchema = z.record(z.string(), z.unknown()).nullable();

/** Connection errors that mean the call never reached the core, so running it again is safe. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function causeCode(err: unknown): string | undefined {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
}

/**
 * The core as a web process sees it in split mode: each call goes to `POST /internal/core` on the
 * ingest process that runs the core. Refusals come back as CoreRefusal, as from a core in this
 * process, so the action service (roles, idempotency keys, audit rows) behaves as in embedded mode.
 */
export function createRemoteCore(o: { url: string; secret: string; timeoutMs?: number }): ConnectedCore {
  const endpoint = new URL(CORE_CALL_PATH, o.url).toString();
  const call = async (method: CoreMethod, args: unknown[]): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ method, args }),
        signal: AbortSignal.timeout(o.timeoutMs ?? 60_000),
      });
    } catch (err) {
      if (NOT_SENT.has(causeCode(err) ?? '')) {
        throw new CoreRefusal(
          'unavailable',
          `The ingest process that runs the core (${o.url}) did not answer; nothing was done. Retry once it is up.`,
        );
      }
      // Sent, maybe done: the same as a core in this process failing mid-call.
      throw new Error(`no answer from the core at ${o.url}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
    if (response.status === 401) {
      throw new CoreRefusal(
        'unavailable',
        'The ingest process refused this web process: TOWER_INTERNAL_SECRET differs between them; nothing was done.',
      );
    }
    if (response.status === 404) {
      throw new CoreRefusal(
        'unavailable',
        `${o.url} does not take core calls (is it the ingest process, with TOWER_INTERNAL_SECRET set?); nothing was done.`,
      );
    }
    const reply = coreReplySchema.parse(await response.json());
    if ('refusal' in reply) throw new CoreRefusal(reply.refusal.code, reply.refusal.message);
    if ('error' in reply) throw new Error(reply.error);
    return reply.result;
  };
  const act = async (method: CoreMethod, args: unknown[]): Promise<CoreAnswer> =>
    answerSchema.parse(await call(method, args));
  // The views are the core's own JSON, passed through as the local core returns them.
  const view = async <V>(method: CoreMethod, id: string): Promise<V | null> =>
    viewSchema.parse(await call(method, [id])) as V | null;
  return {
    name: `remote core at ${o.url}`,
    releaseOrderHold: (c, p) => act('releaseOrderHold', [c, p]),
    cancelOrder: (c, p) => act('cancelOrder', [c, p]),
    reallocateOrder: (c, p) => act('reallocateOrder', [c, p]),
    expediteOrder: (c, p) => act('expediteOrder', [c, p]),
    splitShipment: (c, p) => act('splitShipment', [c, p]),
    approveRefund: (c, p) => act('approveRefund', [c, p]),
    rejectRefund: (c, p) => act('rejectRefund', [c, p]),
    setReturnDisposition: (c, p) => act('setReturnDisposition', [c, p]),
    postStockCount: (c, p) => act('postStockCount', [c, p]),
    createReplenishmentPo: (c, p) => act('createReplenishmentPo', [c, p]),
    describeOrder: (id) => view<OrderView>('describeOrder', id),
    describeRefund: (id) => view<RefundView>('describeRefund', id),
    describeReturn: (id) => view<ReturnView>('describeReturn', id),
  };
}
