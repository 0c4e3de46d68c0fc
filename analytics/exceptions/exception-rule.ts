import { z } from 'zod';
import type { RaisedCondition } from '@/lib/exceptions/raised-condition';
import type { RuleName, RuleSettings } from '@/lib/exceptions/rule-catalogue';
import type { Analytics } from '../clickhouse';
import { chDateTimeIso } from '../ch-time';

export interface RuleContext {
  now: Date;
  settings: RuleSettings;
  /** Judge only these orders (the ones a flush touched); absent means judge everything. */
  orderIds?: readonly string[];
}

/**
 * One exception rule: a query over the rollups that lists every condition holding now. The
 * engine reconciles that list with the workflow store, so a rule only ever says what is true.
 */
export interface ExceptionRule {
  name: RuleName;
  /** Event types whose arrival can raise or clear it: a flush carrying one runs the rule. */
  triggers: readonly string[];
  /** It can judge a subset of orders, so a flush re-checks only the orders it touched. */
  byOrder: boolean;
  /** Time passing alone can raise or clear it, so the schedule runs it too. */
  timed: boolean;
  evaluate(a: Analytics, ctx: RuleContext): Promise<RaisedCondition[]>;
}

/** Query parameters restricting a rule to the touched orders, or not at all. */
export function orderScopeParams(ctx: RuleContext): { all: number; orderIds: string[] } {
  return ctx.orderIds ? { all: 0, orderIds: [...ctx.orderIds] } : { all: 1, orderIds: [] };
}

/** The SQL condition matching `orderScopeParams` for an `order_id` column. */
export const ORDER_SCOPE = `({all:UInt8} = 1 OR order_id IN {orderIds:Array(String)})`;

export const chTime = chDateTimeIso;
export const chTimeOrNull = chDateTimeIso.nullable();

export const nonEmpty = (s: string): string | null => (s === '' ? null : s);

export function money(value: number, currency: string): string {
  return `${currency || 'USD'} ${value.toFixed(2)}`;
}

export function hoursBetween(fromIso: string, to: Date): number {
  return Math.max(0, (to.getTime() - Date.parse(fromIso)) / 3_600_000);
}

export const currencyOf = (c: string) => c || 'USD';

export { z };
