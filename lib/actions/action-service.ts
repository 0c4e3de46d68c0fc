import type { Kysely } from 'kysely';
import { watchedCall, type ConnectorHealth } from '../connectors/connector-health';
import type { ConnectedCore } from '../core/core-slot';
import { CoreRefusal, type CoreAnswer } from '../core/transactional-core';
import { ACTION_LABELS, actionOutcomeSchema, actionPayloadSchemas, type ActionName, type ActionOutcome, type ActionPayload, type ActionRequest } from './action-requests';
import { ActionError, fromCoreRefusal, noCoreConnected } from './action-errors';
import { appendAudit, type AuditEntry } from './audit-log';
import { callCore, entityOf } from './core-dispatch';
import { claimKey, completeKey, releaseKey, requestHash } from './idempotency';
import { getRefundApprovalThreshold } from './refund-approval-threshold';
import { closeApprovalRequest, openApprovalRequest, requestApproval } from './refund-approvals';

/** Who acts. `canApproveRefunds` is the approver right, looked up by the caller of the service. */
export interface Actor {
  userId: string;
  name: string;
  role: string;
  canApproveRefunds: boolean;
}

export interface ActionService {
  /** Performs one action once per idempotency key; throws ActionError with the HTTP status to answer. */
  performAction(o: { actor: Actor; request: ActionRequest }): Promise<ActionOutcome>;
}

const ACTING_ROLES = new Set(['ops_lead', 'admin']);

type Validated = { [A in ActionName]: { action: A; payload: ActionPayload<A> } }[ActionName];

function validate(request: ActionRequest): Validated {
  const parsed = actionPayloadSchemas[request.action].safeParse(request.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ActionError('bad_request', `${ACTION_LABELS[request.action]}: payload.${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return { action: request.action, payload: parsed.data } as Validated;
}

/** What a done action changed, for whoever re-checks it at once (the exception engine). */
export interface Acted {
  exceptionId: string | null;
  entity: { type: string; id: string };
}

/** The core could not be reached or broke, as opposed to answering with a business refusal. */
const isConnectorFailure = (err: unknown) => !(err instanceof CoreRefusal) || err.code === 'unavailable';

export function createActionService(deps: {
  db: Kysely<object>;
  core: () => ConnectedCore | null;
  onActed?: (acted: Acted) => void;
  /** Where each core call's outcome is noted for the connector-errors rule. */
  health?: ConnectorHealth;
}): ActionService {
  const { db } = deps;

  async function perform(actor: Actor, request: ActionRequest, v: Validated): Promise<ActionOutcome> {
    const entity = entityOf(v.action, v.payload as never);
    const audit = (e: Pick<AuditEntry, 'outcome' | 'message'> & Partial<AuditEntry>) =>
      appendAudit(db, {
        actor: { userId: actor.userId, name: actor.name, role: actor.role },
        action: v.action,
        entity,
        exceptionId: request.exceptionId ?? null,
        idempotencyKey: request.idempotencyKey,
        payload: v.payload,
        before: null,
        after: null,
        answer: null,
        ...e,
      });
    const core = deps.core();
    if (!core) {
      const error = noCoreConnected();
      await audit({ outcome: 'unavailable', message: error.message });
      throw error;
    }
    const caller = { userId: actor.userId, name: actor.name };
    const run = async (): Promise<CoreAnswer> => {
      try {
        const where = { connector: core.name, operation: v.action };
        return await watchedCall(deps.health, where, () => callCore(core, caller, v.action, v.payload as never), isConnectorFailure);
      } catch (err) {
        if (!(err instanceof CoreRefusal)) {
          await audit({ outcome: 'failed', message: `The core failed: ${err instanceof Error ? err.message : String(err)}` });
          throw err;
        }
        const error = fromCoreRefusal(err);
        await audit({ outcome: error.code === 'unavailable' ? 'unavailable' : 'refused', message: err.message, answer: { refusal: err.code, message: err.message } });
        throw error;
      }
    };
    const done = async (answer: CoreAnswer, note = ''): Promise<ActionOutcome> => {
      // The core has changed: its exceptions are re-checked now, not after the audit row.
      deps.onActed?.({ exceptionId: request.exceptionId ?? null, entity });
      const summary = answer.summary + note;
      const auditId = await audit({ outcome: 'done', message: summary, before: answer.before, after: answer.after, answer });
      return { status: 'done', summary, auditId };
    };

    if (v.action === 'reject_refund') {
      const answer = await run();
      await closeApprovalRequest(db, { refundId: v.payload.refundId, status: 'rejected', by: actor.userId });
      return done(answer);
    }
    if (v.action !== 'approve_refund') return done(await run());

    // Refunds above the threshold take a second person holding the approver right.
    const refundId = v.payload.refundId;
    const [refund, threshold] = await Promise.all([core.describeRefund(refundId), getRefundApprovalThreshold(db)]);
    if (!refund || refund.amount <= threshold) return done(await run());
    let open = await openApprovalRequest(db, refundId);
    if (!open) {
      if (refund.status !== 'requested') return done(await run()); // the core refuses it with its reason
      const created = await requestApproval(db, { refundId, amount: refund.amount, userId: actor.userId, name: actor.name });
      if (created) {
        const summary = `Refund ${refundId} of ${refund.amount.toFixed(2)} is above the ${threshold.toFixed(2)} limit: approval requested. A second person with the approver right must approve it.`;
        await audit({ outcome: 'awaiting_approval', message: summary, before: refund, after: refund });
        return { status: 'awaiting_approval', summary, requestId: created.id };
      }
      open = await openApprovalRequest(db, refundId);
      if (!open) throw new ActionError('in_progress', `Refund ${refundId}'s approval changed while you clicked; reload and try again.`);
    }
    const forbid = async (message: string): Promise<never> => {
      await audit({ outcome: 'forbidden', message });
      throw new ActionError('forbidden', message);
    };
    if (open.requested_by === actor.userId) {
      await forbid(`You requested approval of refund ${refundId}; a different person holding the approver right must approve it.`);
    }
    if (!actor.canApproveRefunds) {
      await forbid(`Refund ${refundId} (${refund.amount.toFixed(2)}) is above the ${threshold.toFixed(2)} limit and needs a second approver; you do not hold the approver right (an admin can grant it).`);
    }
    let answer: CoreAnswer;
    try {
      answer = await run();
    } catch (err) {
      if (err instanceof ActionError && (err.code === 'invalid_state' || err.code === 'not_found')) await closeApprovalRequest(db, { refundId, status: 'void', by: actor.userId });
      throw err;
    }
    await closeApprovalRequest(db, { refundId, status: 'approved', by: actor.userId });
    return done(answer, ` Requested by ${open.requested_by_name}, approved by ${actor.name}.`);
  }

  return {
    async performAction({ actor, request }) {
      const v = validate(request);
      if (!ACTING_ROLES.has(actor.role)) {
        const message = `Your role (${actor.role.replace('_', ' ')}) can watch but not act; ask an ops lead or an admin to ${ACTION_LABELS[v.action].toLowerCase()}.`;
        await appendAudit(db, {
          actor: { userId: actor.userId, name: actor.name, role: actor.role },
          action: v.action,
          entity: entityOf(v.action, v.payload as never),
          exceptionId: request.exceptionId ?? null,
          idempotencyKey: request.idempotencyKey,
          payload: v.payload,
          before: null,
          after: null,
          answer: null,
          outcome: 'forbidden',
          message,
        });
        throw new ActionError('forbidden', message);
      }
      const key = request.idempotencyKey;
      const claim = await claimKey(db, { key, hash: requestHash({ action: v.action, payload: v.payload, actorId: actor.userId }), actorId: actor.userId, action: v.action });
      if (claim.kind === 'replay') {
        if (!claim.response.ok) throw new ActionError(claim.response.code, claim.response.message);
        return actionOutcomeSchema.parse(claim.response.body);
      }
      try {
        const outcome = await perform(actor, request, v);
        await completeKey(db, key, 200, { ok: true, body: outcome });
        return outcome;
      } catch (err) {
        // A core that is down says nothing about this request: the key is freed so a retry runs.
        if (!(err instanceof ActionError) || err.code === 'unavailable' || err.code === 'in_progress') {
          await releaseKey(db, key);
          throw err;
        }
        await completeKey(db, key, err.status, { ok: false, code: err.code, message: err.message });
        throw err;
      }
    },
  };
}
