import type { ExceptionRule } from './exception-rule';
import { carrierException } from './carrier-issues';
import { connectorErrors } from './connector-errors';
import { pickOverdue, shipLate, shortPick } from './fulfilment-delays';
import { deadLetters } from './integration-failures';
import { countVariance, stockSnapshotDrift } from './inventory-discrepancies';
import { orderOnHold } from './order-holds';
import { refundAwaitingApproval, refundBeforeInspection, returnAwaitingInspection } from './returns-refunds';
import { backorderOpen, outOfStockWithDemand } from './stock-shortages';

/** Every rule the engine runs, one per RuleName. */
export const exceptionRules: readonly ExceptionRule[] = [
  orderOnHold,
  backorderOpen,
  outOfStockWithDemand,
  shipLate,
  pickOverdue,
  shortPick,
  carrierException,
  returnAwaitingInspection,
  refundAwaitingApproval,
  refundBeforeInspection,
  countVariance,
  stockSnapshotDrift,
  deadLetters,
  connectorErrors,
];
