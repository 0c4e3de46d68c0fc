import type { Severity } from '@/lib/exceptions/exception-item';
import {
  chTime,
  currencyOf,
  money,
  nonEmpty,
  ORDER_SCOPE,
  orderScopeParams,
  z,
  type ExceptionRule,
} from './exception-rule';

const KIND_SEVERITY: Record<string, Severity> = { lost: 'high', damaged: 'high', address: 'medium', delay: 'low' };

const rowSchema = z.object({
  shipment_id: z.string(),
  order_id: z.string(),
  carrier: z.string(),
  warehouse: z.string(),
  exception_at: chTime,
  kind: z.string(),
  order_value: z.number(),
  currency: z.string(),
  channel: z.string(),
});

/** A shipment whose latest carrier exception (delay, lost, damaged, address) has not been followed by a delivery. */
export const carrierException: ExceptionRule = {
  name: 'carrier_exception',
  triggers: ['shipment.exception', 'order.delivered', 'order.shipped'],
  byOrder: true,
  timed: false,
  async evaluate(a, ctx) {
    const rows = await a.query({
      name: 'exceptions.carrier-exception',
      sql: `WITH s AS (
    SELECT shipment_id, max(order_id) AS order_id, max(carrier) AS carrier, max(warehouse) AS warehouse,
           max(last_exception_at) AS exception_at, argMaxMerge(exception_kind) AS kind, max(delivered_at) AS delivered_at
    FROM shipment_facts
    WHERE shipment_id IN (SELECT shipment_id FROM shipment_facts WHERE last_exception_at IS NOT NULL AND ${ORDER_SCOPE})
    GROUP BY shipment_id
    HAVING delivered_at IS NULL OR delivered_at < exception_at
),
o AS (
    SELECT order_id, sum(order_value) AS order_value, max(currency) AS currency, max(channel) AS channel
    FROM order_watch_facts WHERE order_id IN (SELECT order_id FROM s) GROUP BY order_id
)
SELECT s.shipment_id AS shipment_id, s.order_id AS order_id, s.carrier AS carrier, s.warehouse AS warehouse,
       s.exception_at AS exception_at, s.kind AS kind, o.order_value AS order_value, o.currency AS currency, o.channel AS channel
FROM s LEFT JOIN o ON s.order_id = o.order_id`,
      params: orderScopeParams(ctx),
      schema: rowSchema,
    });
    return rows.map((r) => ({
      queue: 'carrier_issues' as const,
      rule: 'carrier_exception',
      dedupeKey: `carrier:${r.shipment_id}`,
      severity: KIND_SEVERITY[r.kind] ?? 'medium',
      summary: `Shipment ${r.shipment_id} (order ${r.order_id}) with ${r.carrier || 'the carrier'}: ${r.kind || 'exception'}, not delivered since, ${money(r.order_value, currencyOf(r.currency))}`,
      valueAtRisk: r.order_value,
      currency: currencyOf(r.currency),
      entities: [
        { kind: 'shipment' as const, id: r.shipment_id },
        { kind: 'order' as const, id: r.order_id },
      ],
      warehouse: nonEmpty(r.warehouse),
      channel: nonEmpty(r.channel),
      beganAt: r.exception_at,
    }));
  },
};
