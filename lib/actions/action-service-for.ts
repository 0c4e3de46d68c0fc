import type { Kysely } from 'kysely';
import { transactionalCoreSlot } from '../core/core-slot';
import { createActionService, type ActionService } from './action-service';

/** The service as the running product wires it: the store's database and whatever core is connected now. */
export function actionServiceFor(db: Kysely<object>): ActionService {
  return createActionService({ db, core: () => transactionalCoreSlot.peek() ?? null });
}
