import { runtimeSlot } from '../runtime-slot';
import type { CoreReader } from './entity-views';
import type { TransactionalCore } from './transactional-core';

/** The connected core, set by server.ts when one runs; empty when none is (SANDBOX_RATE=0 and no connector). */
export type ConnectedCore = TransactionalCore & CoreReader;
export const transactionalCoreSlot = runtimeSlot<ConnectedCore>('transactional-core');
