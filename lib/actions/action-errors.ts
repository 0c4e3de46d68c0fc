import { CoreRefusal } from '../core/transactional-core';

/** Why an action did not happen, and the HTTP status that says so. */
export type ActionErrorCode = 'bad_request' | 'forbidden' | 'not_found' | 'invalid_state' | 'idempotency_conflict' | 'in_progress' | 'unavailable';

const STATUS: Record<ActionErrorCode, number> = {
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  invalid_state: 409,
  idempotency_conflict: 409,
  in_progress: 409,
  unavailable: 503,
};

export class ActionError extends Error {
  readonly status: number;
  constructor(
    readonly code: ActionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ActionError';
    this.status = STATUS[code];
  }
}

/** A core's refusal, as the tower answers it. */
export function fromCoreRefusal(r: CoreRefusal): ActionError {
  const code: ActionErrorCode = r.code === 'invalid_request' ? 'bad_request' : r.code;
  return new ActionError(code, r.message);
}

export function noCoreConnected(): ActionError {
  return new ActionError('unavailable', 'No transactional core is connected, so actions cannot run (the sandbox is off: SANDBOX_RATE=0). Start it or connect a core, then retry.');
}
