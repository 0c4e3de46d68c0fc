import type { EntityRef, ExceptionQueue, Severity } from './exception-item';

/**
 * What a rule reports: a condition that holds now. The engine turns it into a work item (one per
 * dedupe key while unresolved) and resolves the item when the rule stops reporting it.
 */
export interface RaisedCondition {
  queue: ExceptionQueue;
  rule: string;
  dedupeKey: string;
  severity: Severity;
  summary: string;
  valueAtRisk: number;
  currency: string;
  /** The entity it is about first. */
  entities: EntityRef[];
  warehouse: string | null;
  channel: string | null;
  /** When the condition began (business time), ISO. */
  beganAt: string;
}

/** Which items a rule run speaks for: all of that rule's items, or only those about these orders. */
export type ReconcileScope = { rule: string; orderIds?: readonly string[] };
