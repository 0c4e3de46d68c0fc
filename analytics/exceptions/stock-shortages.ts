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

const ORDER_TRIGGERS = ['order.backordered', 'order.allocated', 'order.cancelled', 'order.shipped', 'order.created'];

/** Orders whose latest backorder is later than their latest allocation, neither shipped nor cancelled. */
const OPEN_BACKORDERS = `SELECT order_id, max(channel) AS channel, max(currency) AS currency, sum(order_value) AS order_value,
       max(last_backordered_at) AS backordered_at, argMaxMerge(backorder_lines) AS lines, argMaxMerge(warehouse) AS warehouse,
       max(last_allocated_at) AS allocated_at, min(cancelled_at) AS cancelled_at, min(first_shipped_at) AS shipped_at
FROM order_watch_facts
WHERE order_id IN (SELECT order_id FROM order_watch_facts WHERE last_backordered_at IS NOT NULL)
  AND ${ORDER_SCOPE}
GROUP BY order_id
HAVING (allocated_at IS NULL OR allocated_at < backordered_at) AND cancelled_at IS NULL AND shipped_at IS NULL`;

const backorderSchema = z.object({
  order_id: z.string(),
  channel: z.string(),
  currency: z.string(),
  order_value: z.number(),
  backordered_at: chTime,
  lines: z.string(),
  warehouse: z.string(),
});
const shortLine = z.object({ sku: z.string(), qty_short: z.number() });

export const backorderOpen: ExceptionRule = {
  name: 'backorder_open',
  triggers: ORDER_TRIGGERS,
  byOrder: true,
  timed: false,
  async evaluate(a, ctx) {
    const rows = await a.query({
      name: 'exceptions.backorder-open',
      sql: `SELECT order_id, channel, currency, order_value, backordered_at, lines, warehouse FROM (${OPEN_BACKORDERS})`,
      params: orderScopeParams(ctx),
      schema: backorderSchema,
    });
    return rows.map((r) => {
      const lines = shortLine.array().catch([]).parse(safeJson(r.lines));
      const short = lines.map((l) => `${l.qty_short} × ${l.sku}`).join(', ');
      return {
        queue: 'stock_shortages' as const,
        rule: 'backorder_open',
        dedupeKey: `backorder:${r.order_id}`,
        severity: r.order_value >= 500 ? ('high' as const) : ('medium' as const),
        summary: `Order ${r.order_id} backordered${short ? `: ${short} short` : ''}${r.warehouse ? ` at ${r.warehouse}` : ''}, ${money(r.order_value, currencyOf(r.currency))}`,
        valueAtRisk: r.order_value,
        currency: currencyOf(r.currency),
        entities: [
          { kind: 'order' as const, id: r.order_id },
          ...lines.map((l) => ({ kind: 'sku' as const, id: l.sku })),
        ],
        warehouse: nonEmpty(r.warehouse),
        channel: nonEmpty(r.channel),
        beganAt: r.backordered_at,
      };
    });
  },
};

const outOfStockSchema = z.object({
  warehouse: z.string(),
  sku: z.string(),
  units_short: z.number(),
  orders: z.number(),
  demand_value: z.number(),
  since: chTime,
  available: z.number(),
});

/**
 * A SKU-warehouse the core's latest snapshot shows with nothing available while open backorders
 * wait for it there. Demand is the backordered units; its value is what those orders are worth.
 */
export const outOfStockWithDemand: ExceptionRule = {
  name: 'out_of_stock_with_demand',
  triggers: [...ORDER_TRIGGERS, 'stock.snapshot'],
  byOrder: false,
  timed: false,
  async evaluate(a) {
    const rows = await a.query({
      name: 'exceptions.out-of-stock-with-demand',
      sql: `WITH demand AS (
    SELECT warehouse, JSONExtractString(line, 'sku') AS sku, sum(JSONExtractInt(line, 'qty_short')) AS units_short,
           uniqExact(order_id) AS orders, sum(order_value) AS demand_value, min(backordered_at) AS since
    FROM (${OPEN_BACKORDERS})
    ARRAY JOIN JSONExtractArrayRaw(lines) AS line
    GROUP BY warehouse, sku
),
latest AS (
    SELECT warehouse, sku, argMax(on_hand - reserved, at) AS available
    FROM stock_snapshots
    WHERE (warehouse, sku) IN (SELECT warehouse, sku FROM demand)
    GROUP BY warehouse, sku
)
SELECT d.warehouse AS warehouse, d.sku AS sku, d.units_short AS units_short, d.orders AS orders,
       d.demand_value AS demand_value, d.since AS since, l.available AS available
FROM demand AS d INNER JOIN latest AS l ON d.warehouse = l.warehouse AND d.sku = l.sku
WHERE l.available <= 0`,
      params: { all: 1, orderIds: [] },
      schema: outOfStockSchema,
    });
    return rows.map((r) => ({
      queue: 'stock_shortages' as const,
      rule: 'out_of_stock_with_demand',
      dedupeKey: `oos:${r.warehouse}:${r.sku}`,
      severity: r.orders >= 5 ? ('high' as const) : ('medium' as const),
      summary: `${r.sku} out of stock at ${r.warehouse} with ${r.units_short} units backordered on ${r.orders} order${r.orders === 1 ? '' : 's'}`,
      valueAtRisk: r.demand_value,
      currency: 'USD',
      entities: [{ kind: 'sku' as const, id: r.sku }],
      warehouse: r.warehouse,
      channel: null,
      beganAt: r.since,
    }));
  },
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return [];
  }
}
