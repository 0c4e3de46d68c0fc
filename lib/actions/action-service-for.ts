import type { Kysely } from 'kysely';
import { liveBusSlot } from '../bus/live-bus';
import { connectorHealthSlot } from '../connectors/connector-health';
import { transactionalCoreSlot } from '../core/core-slot';
import { createActionService, type ActionService } from './action-service';

/**
 * The service as the running product wires it: the store's database, whatever core is connected
 * now, and the live bus, on which a done action asks the exception engine to re-check what it
 * changed (the engine may run in another process), and the connector health log.
 */
export function actionServiceFor(db: Kysely<object>): ActionService {
  return createActionService({
    db,
    core: () => transactionalCoreSlot.peek() ?? null,
    health: connectorHealthSlot.peek(),
    onActed: ({ exceptionId, entity }) => {
      liveBusSlot
        .peek()
        ?.publish('recheck', { at: new Date().toISOString(), exceptionId, entity })
        .catch((err: unknown) => console.error('[actions] recheck request failed:', err instanceof Error ? err.message : err));
    },
  });
}
