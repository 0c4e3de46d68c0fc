import { toChDateTime } from '../ch-time';
import {
  chTime,
  currencyOf,
  hoursBetween,
  money,
  nonEmpty,
  ORDER_SCOPE,
  orderScopeParams,
  z,
  type ExceptionRule,
} from './exception-rule';

const MINUTE = 60_000;

const lateSchema = z.object({
  order_id: z.string(),
  channel: z.string(),
  currency: z.string(),
  order_value: z.number(),
  promised_ship_by: chTime,
  warehouse: z.string(),
});

/** Created, not shipped and not cancelled, and past its promised ship time (plus a grace). */
export const shipLate: ExceptionRule = {
  name: 'ship_late',
  triggers: ['order.created', 'order.shipped', 'order.cancelled'],
  byOrder: true,
  timed: true,
  async evaluate(a, ctx) {
    const cutoff = new Date(ctx.now.getTime() - (ctx.settings.thresholds.graceMinutes ?? 0) * MINUTE);
    const rows = await a.query({
      name: 'exceptions.ship-late',
      sql: `SELECT order_id, max(channel) AS channel, max(currency) AS currency, sum(order_value) AS order_value,
       max(promised_ship_by) AS promised_ship_by, argMaxMerge(warehouse) AS warehouse
FROM order_watch_facts
WHERE order_id IN (SELECT order_id FROM order_watch_facts WHERE promised_ship_by < {cutoff:DateTime64(3, 'UTC')})
  AND order_id NOT IN (SELECT order_id FROM order_watch_facts WHERE first_shipped_at IS NOT NULL OR cancelled_at IS NOT NULL)
  AND ${ORDER_SCOPE}
GROUP BY order_id
HAVING min(created_at) IS NOT NULL`,
      params: { ...orderScopeParams(ctx), cutoff: toChDateTime(cutoff) },
      schema: lateSchema,
    });
    return rows.map((r) => {
      const hours = hoursBetween(r.promised_ship_by, ctx.now);
      return {
        queue: 'fulfilment_delays' as const,
        rule: 'ship_late',
        dedupeKey: `ship-late:${r.order_id}`,
        severity: hours >= 24 ? ('high' as const) : ('medium' as const),
        summary: `Order ${r.order_id} not shipped, ${formatHours(hours)} past its promised ship time, ${money(r.order_value, currencyOf(r.currency))}`,
        valueAtRisk: r.order_value,
        currency: currencyOf(r.currency),
        entities: [{ kind: 'order' as const, id: r.order_id }],
        warehouse: nonEmpty(r.warehouse),
        channel: nonEmpty(r.channel),
        beganAt: r.promised_ship_by,
      };
    });
  },
};

const pickSchema = z.object({
  pick_id: z.string(),
  order_id: z.string(),
  warehouse: z.string(),
  at: chTime,
  qty_required: z.number(),
  qty_picked: z.number(),
  order_value: z.number(),
  currency: z.string(),
  channel: z.string(),
});

/** Picks of orders still open, with what the order is worth; `picks` selects them, `at` (due or done_at) dates them. */
const PICKS_OF_OPEN_ORDERS = (picks: string, at: 'due' | 'done_at') => `WITH p AS (
    SELECT pick_id, max(order_id) AS order_id, max(warehouse) AS warehouse, max(due_by) AS due, min(completed_at) AS done_at,
           sum(qty_required) AS required_units, sum(qty_picked) AS picked_units
    FROM pick_facts
    WHERE pick_id IN (SELECT pick_id FROM pick_facts WHERE ${ORDER_SCOPE})
    GROUP BY pick_id
    HAVING ${picks}
),
o AS (
    SELECT order_id, sum(order_value) AS order_value, max(currency) AS currency, max(channel) AS channel,
           min(first_shipped_at) AS shipped_at, min(cancelled_at) AS cancelled_at
    FROM order_watch_facts
    WHERE order_id IN (SELECT order_id FROM p)
    GROUP BY order_id
)
SELECT p.pick_id AS pick_id, p.order_id AS order_id, p.warehouse AS warehouse, p.${at} AS at, p.required_units AS qty_required,
       p.picked_units AS qty_picked, o.order_value AS order_value, o.currency AS currency, o.channel AS channel
FROM p LEFT JOIN o ON p.order_id = o.order_id
WHERE o.shipped_at IS NULL AND o.cancelled_at IS NULL`;

/** A pick not completed past its due time (plus a grace), for an order neither shipped nor cancelled. */
export const pickOverdue: ExceptionRule = {
  name: 'pick_overdue',
  triggers: ['pick.created', 'pick.completed', 'order.shipped', 'order.cancelled'],
  byOrder: true,
  timed: true,
  async evaluate(a, ctx) {
    const cutoff = new Date(ctx.now.getTime() - (ctx.settings.thresholds.graceMinutes ?? 0) * MINUTE);
    const rows = await a.query({
      name: 'exceptions.pick-overdue',
      sql: PICKS_OF_OPEN_ORDERS(`done_at IS NULL AND due < {cutoff:DateTime64(3, 'UTC')}`, 'due'),
      params: { ...orderScopeParams(ctx), cutoff: toChDateTime(cutoff) },
      schema: pickSchema,
    });
    return rows.map((r) => {
      const hours = hoursBetween(r.at, ctx.now);
      return {
        queue: 'fulfilment_delays' as const,
        rule: 'pick_overdue',
        dedupeKey: `pick-overdue:${r.pick_id}`,
        severity: hours >= 4 ? ('high' as const) : ('medium' as const),
        summary: `Pick ${r.pick_id} for order ${r.order_id} at ${r.warehouse} is ${formatHours(hours)} overdue`,
        valueAtRisk: r.order_value,
        currency: currencyOf(r.currency),
        entities: [
          { kind: 'pick' as const, id: r.pick_id },
          { kind: 'order' as const, id: r.order_id },
        ],
        warehouse: nonEmpty(r.warehouse),
        channel: nonEmpty(r.channel),
        beganAt: r.at,
      };
    });
  },
};

/** A completed pick that found fewer units than required, until its order ships or is cancelled. */
export const shortPick: ExceptionRule = {
  name: 'short_pick',
  triggers: ['pick.completed', 'order.shipped', 'order.cancelled'],
  byOrder: true,
  timed: false,
  async evaluate(a, ctx) {
    const rows = await a.query({
      name: 'exceptions.short-pick',
      sql: PICKS_OF_OPEN_ORDERS('done_at IS NOT NULL AND picked_units < required_units', 'done_at'),
      params: orderScopeParams(ctx),
      schema: pickSchema,
    });
    return rows.map((r) => ({
      queue: 'fulfilment_delays' as const,
      rule: 'short_pick',
      dedupeKey: `short-pick:${r.pick_id}`,
      severity: 'medium' as const,
      summary: `Short pick ${r.pick_id} for order ${r.order_id} at ${r.warehouse}: ${r.qty_picked} of ${r.qty_required} units`,
      valueAtRisk: r.qty_required > 0 ? (r.order_value * (r.qty_required - r.qty_picked)) / r.qty_required : 0,
      currency: currencyOf(r.currency),
      entities: [
        { kind: 'pick' as const, id: r.pick_id },
        { kind: 'order' as const, id: r.order_id },
      ],
      warehouse: nonEmpty(r.warehouse),
      channel: nonEmpty(r.channel),
      beganAt: r.at,
    }));
  },
};

export function formatHours(hours: number): string {
  return hours < 1
    ? `${Math.round(hours * 60)} min`
    : hours < 48
      ? `${hours.toFixed(1)} h`
      : `${Math.round(hours / 24)} days`;
}
