import { toChDateTime } from '../ch-time';
import { chTime, hoursBetween, nonEmpty, z, type ExceptionRule } from './exception-rule';
import { formatHours } from './fulfilment-delays';

const HOUR = 3_600_000;

const returnSchema = z.object({
  return_id: z.string(),
  order_id: z.string(),
  warehouse: z.string(),
  received_at: chTime,
  refund_amount: z.number(),
});

/** A return received longer ago than `maxHours` and not yet inspected (nor rejected). */
export const returnAwaitingInspection: ExceptionRule = {
  name: 'return_awaiting_inspection',
  triggers: ['return.received', 'return.inspected', 'return.rejected'],
  byOrder: false,
  timed: true,
  async evaluate(a, ctx) {
    const cutoff = new Date(ctx.now.getTime() - (ctx.settings.thresholds.maxHours ?? 48) * HOUR);
    const rows = await a.query({
      name: 'exceptions.return-awaiting-inspection',
      sql: `WITH r AS (
    SELECT return_id, max(order_id) AS order_id, max(warehouse) AS warehouse, min(received_at) AS received_at,
           min(inspected_at) AS inspected_at, min(rejected_at) AS rejected_at
    FROM return_watch_facts
    WHERE return_id IN (SELECT return_id FROM return_watch_facts WHERE received_at < {cutoff:DateTime64(3, 'UTC')})
    GROUP BY return_id
    HAVING inspected_at IS NULL AND rejected_at IS NULL
),
f AS (
    SELECT return_id, max(amount) AS amount FROM refund_facts
    WHERE return_id IN (SELECT return_id FROM r) GROUP BY refund_id, return_id
)
SELECT r.return_id AS return_id, r.order_id AS order_id, r.warehouse AS warehouse, r.received_at AS received_at,
       sum(f.amount) AS refund_amount
FROM r LEFT JOIN f ON r.return_id = f.return_id
GROUP BY return_id, order_id, warehouse, received_at`,
      params: { cutoff: toChDateTime(cutoff) },
      schema: returnSchema,
    });
    return rows.map((r) => ({
      queue: 'returns_refunds' as const,
      rule: 'return_awaiting_inspection',
      dedupeKey: `return-inspection:${r.return_id}`,
      severity: hoursBetween(r.received_at, ctx.now) >= 24 * 7 ? ('high' as const) : ('medium' as const),
      summary: `Return ${r.return_id} (order ${r.order_id}) received ${formatHours(hoursBetween(r.received_at, ctx.now))} ago at ${r.warehouse || 'an unknown warehouse'}, not inspected`,
      valueAtRisk: r.refund_amount,
      currency: 'USD',
      entities: [
        { kind: 'return' as const, id: r.return_id },
        { kind: 'order' as const, id: r.order_id },
      ],
      warehouse: nonEmpty(r.warehouse),
      channel: null,
      beganAt: r.received_at,
    }));
  },
};

const refundSchema = z.object({
  refund_id: z.string(),
  order_id: z.string(),
  return_id: z.string(),
  amount: z.number(),
  at: chTime,
});

/** A refund requested longer ago than `maxHours` and neither approved, rejected nor issued. */
export const refundAwaitingApproval: ExceptionRule = {
  name: 'refund_awaiting_approval',
  triggers: ['refund.requested', 'refund.approved', 'refund.rejected', 'refund.issued'],
  byOrder: false,
  timed: true,
  async evaluate(a, ctx) {
    const cutoff = new Date(ctx.now.getTime() - (ctx.settings.thresholds.maxHours ?? 24) * HOUR);
    const rows = await a.query({
      name: 'exceptions.refund-awaiting-approval',
      sql: `SELECT refund_id, max(order_id) AS order_id, max(return_id) AS return_id, max(amount) AS amount, min(requested_at) AS at
FROM refund_facts
WHERE refund_id IN (SELECT refund_id FROM refund_facts WHERE requested_at < {cutoff:DateTime64(3, 'UTC')})
GROUP BY refund_id
HAVING min(approved_at) IS NULL AND min(rejected_at) IS NULL AND min(issued_at) IS NULL`,
      params: { cutoff: toChDateTime(cutoff) },
      schema: refundSchema,
    });
    return rows.map((r) => ({
      queue: 'returns_refunds' as const,
      rule: 'refund_awaiting_approval',
      dedupeKey: `refund-approval:${r.refund_id}`,
      severity: r.amount >= 500 ? ('high' as const) : ('medium' as const),
      summary: `Refund ${r.refund_id} of USD ${r.amount.toFixed(2)} (order ${r.order_id}) awaiting approval for ${formatHours(hoursBetween(r.at, ctx.now))}`,
      valueAtRisk: r.amount,
      currency: 'USD',
      entities: [
        { kind: 'refund' as const, id: r.refund_id },
        { kind: 'order' as const, id: r.order_id },
        ...(r.return_id ? [{ kind: 'return' as const, id: r.return_id }] : []),
      ],
      warehouse: null,
      channel: null,
      beganAt: r.at,
    }));
  },
};

const earlySchema = z.object({
  refund_id: z.string(),
  order_id: z.string(),
  return_id: z.string(),
  amount: z.number(),
  at: chTime,
  warehouse: z.string(),
});

/** Money went out for a return nobody has inspected yet: refund.issued while the return is uninspected. */
export const refundBeforeInspection: ExceptionRule = {
  name: 'refund_before_inspection',
  triggers: ['refund.issued', 'refund.requested', 'return.inspected', 'return.received'],
  byOrder: false,
  timed: false,
  async evaluate(a) {
    const rows = await a.query({
      name: 'exceptions.refund-before-inspection',
      sql: `WITH f AS (
    SELECT refund_id, max(order_id) AS order_id, max(return_id) AS return_id, sum(issued_amount) AS amount, min(issued_at) AS at
    FROM refund_facts
    WHERE refund_id IN (SELECT refund_id FROM refund_facts WHERE issued_at IS NOT NULL)
    GROUP BY refund_id
    HAVING return_id != ''
),
r AS (
    SELECT return_id, max(warehouse) AS warehouse, min(inspected_at) AS inspected_at
    FROM return_watch_facts WHERE return_id IN (SELECT return_id FROM f) GROUP BY return_id
)
SELECT f.refund_id AS refund_id, f.order_id AS order_id, f.return_id AS return_id, f.amount AS amount, f.at AS at, r.warehouse AS warehouse
FROM f LEFT JOIN r ON f.return_id = r.return_id
WHERE r.inspected_at IS NULL`,
      schema: earlySchema,
    });
    return rows.map((r) => ({
      queue: 'returns_refunds' as const,
      rule: 'refund_before_inspection',
      dedupeKey: `refund-early:${r.refund_id}`,
      severity: 'high' as const,
      summary: `Refund ${r.refund_id} of USD ${r.amount.toFixed(2)} issued before return ${r.return_id} was inspected`,
      valueAtRisk: r.amount,
      currency: 'USD',
      entities: [
        { kind: 'refund' as const, id: r.refund_id },
        { kind: 'return' as const, id: r.return_id },
        { kind: 'order' as const, id: r.order_id },
      ],
      warehouse: nonEmpty(r.warehouse),
      channel: null,
      beganAt: r.at,
    }));
  },
};
