import { toChDateTime } from '../ch-time';
import type { Severity } from '@/lib/exceptions/exception-item';
import {
  chTime,
  chTimeOrNull,
  currencyOf,
  money,
  nonEmpty,
  ORDER_SCOPE,
  orderScopeParams,
  z,
  type ExceptionRule,
} from './exception-rule';

const REASON_SEVERITY: Record<string, Severity> = {
  fraud_review: 'high',
  payment: 'high',
  address: 'medium',
  credit: 'medium',
  manual: 'low',
};

const rowSchema = z.object({
  order_id: z.string(),
  channel: z.string(),
  currency: z.string(),
  order_value: z.number(),
  held_at: chTime,
  reason: z.string(),
  warehouse: z.string(),
});

/** An order on hold: its latest hold is later than its latest release, and it is neither cancelled nor shipped. */
export const orderOnHold: ExceptionRule = {
  name: 'order_on_hold',
  triggers: ['order.created', 'order.held', 'order.released', 'order.cancelled', 'order.shipped', 'order.allocated'],
  byOrder: true,
  timed: false,
  async evaluate(a, ctx) {
    const rows = await a.query({
      name: 'exceptions.order-on-hold',
      sql: `SELECT order_id, max(channel) AS channel, max(currency) AS currency, sum(order_value) AS order_value,
       max(last_held_at) AS held_at, argMaxMerge(hold_reason) AS reason, argMaxMerge(warehouse) AS warehouse,
       max(last_released_at) AS released_at, min(cancelled_at) AS cancelled_at, min(first_shipped_at) AS shipped_at
FROM order_watch_facts
WHERE order_id IN (SELECT order_id FROM order_watch_facts WHERE last_held_at IS NOT NULL AND last_held_at <= {now:DateTime64(3, 'UTC')})
  AND ${ORDER_SCOPE}
GROUP BY order_id
HAVING (released_at IS NULL OR released_at < held_at) AND cancelled_at IS NULL AND shipped_at IS NULL`,
      params: { ...orderScopeParams(ctx), now: toChDateTime(ctx.now) },
      schema: rowSchema.extend({ released_at: chTimeOrNull, cancelled_at: chTimeOrNull, shipped_at: chTimeOrNull }),
    });
    const critical = ctx.settings.thresholds.criticalValue ?? Infinity;
    return rows.map((r) => ({
      queue: 'order_holds' as const,
      rule: 'order_on_hold',
      dedupeKey: `hold:${r.order_id}`,
      severity: r.order_value >= critical ? 'critical' : (REASON_SEVERITY[r.reason] ?? 'medium'),
      summary: `Order ${r.order_id} on hold (${r.reason.replace('_', ' ') || 'no reason given'}), ${money(r.order_value, currencyOf(r.currency))}`,
      valueAtRisk: r.order_value,
      currency: currencyOf(r.currency),
      entities: [{ kind: 'order' as const, id: r.order_id }],
      warehouse: nonEmpty(r.warehouse),
      channel: nonEmpty(r.channel),
      beganAt: r.held_at,
    }));
  },
};
