import { toChDateTime } from '../ch-time';
import { chTime, z, type ExceptionRule } from './exception-rule';

const DAY = 86_400_000;

const countSchema = z.object({
  warehouse: z.string(),
  sku: z.string(),
  at: chTime,
  expected: z.number(),
  counted: z.number(),
  unit_cost: z.number(),
});

/**
 * The latest cycle count of a SKU-warehouse is off by more than the tolerance, in percent of
 * the expected quantity or in value at cost, and no correction has been posted since. A later
 * count within tolerance, or a correction, clears it.
 */
export const countVariance: ExceptionRule = {
  name: 'count_variance',
  triggers: ['stock.adjusted', 'stock.received'],
  byOrder: false,
  timed: false,
  async evaluate(a, ctx) {
    const rows = await a.query({
      name: 'exceptions.count-variance',
      sql: `SELECT warehouse, sku, max(last_count_at) AS at, argMaxMerge(count_expected) AS expected, argMaxMerge(count_counted) AS counted,
       argMaxMerge(unit_cost) AS unit_cost, max(last_correction_at) AS corrected_at
FROM stock_count_facts
WHERE (warehouse, sku) IN (SELECT warehouse, sku FROM stock_count_facts WHERE last_count_at IS NOT NULL)
GROUP BY warehouse, sku
HAVING (corrected_at IS NULL OR corrected_at < at) AND expected != counted`,
      schema: countSchema.extend({ corrected_at: chTime.nullable() }),
    });
    const pct = ctx.settings.thresholds.tolerancePct ?? 5;
    const value = ctx.settings.thresholds.toleranceValue ?? Infinity;
    return rows.flatMap((r) => {
      const diff = r.counted - r.expected;
      const off = r.expected === 0 ? Infinity : (Math.abs(diff) / r.expected) * 100;
      const atCost = Math.abs(diff) * r.unit_cost;
      if (off <= pct && atCost <= value) return [];
      return [
        {
          queue: 'inventory_discrepancies' as const,
          rule: 'count_variance',
          dedupeKey: `count:${r.warehouse}:${r.sku}`,
          severity: off > pct * 4 || atCost > value * 4 ? ('high' as const) : ('medium' as const),
          summary: `Cycle count of ${r.sku} at ${r.warehouse}: counted ${r.counted}, expected ${r.expected} (${diff > 0 ? '+' : ''}${diff}${Number.isFinite(off) ? `, ${off.toFixed(1)}%` : ''})`,
          valueAtRisk: atCost,
          currency: 'USD',
          entities: [{ kind: 'sku' as const, id: r.sku }],
          warehouse: r.warehouse,
          channel: null,
          beganAt: r.at,
        },
      ];
    });
  },
};

const driftSchema = z.object({
  warehouse: z.string(),
  sku: z.string(),
  at: chTime,
  on_hand: z.number(),
  derived: z.number(),
  unit_cost: z.number(),
});

/**
 * Event-derived stock differs from the core's snapshot. Derived stock at the latest snapshot is
 * the snapshot before it plus every movement in between, both judged at the snapshot's time, so
 * a movement arriving late (but timed before the snapshot) changes the answer on the next run.
 */
export const stockSnapshotDrift: ExceptionRule = {
  name: 'stock_snapshot_drift',
  triggers: [
    'stock.snapshot',
    'stock.received',
    'stock.adjusted',
    'stock.transferred',
    'order.shipped',
    'return.inspected',
  ],
  byOrder: false,
  timed: false,
  async evaluate(a, ctx) {
    const since = new Date(ctx.now.getTime() - (ctx.settings.thresholds.lookbackDays ?? 7) * DAY);
    const rows = await a.query({
      name: 'exceptions.stock-snapshot-drift',
      sql: `WITH pairs AS (
    SELECT warehouse, sku, s[1].1 AS at, s[1].2 AS on_hand, s[2].1 AS prev_at, s[2].2 AS prev_on_hand
    FROM (
        SELECT warehouse, sku, arraySlice(arrayReverseSort(x -> x.1, groupArray((at, on_hand))), 1, 2) AS s
        FROM stock_snapshots
        WHERE at >= {since:DateTime64(3, 'UTC')}
        GROUP BY warehouse, sku
        HAVING count() >= 2
    )
),
restocks AS (
    SELECT return_id, max(warehouse) AS warehouse FROM return_watch_facts
    WHERE return_id IN (SELECT return_id FROM stock_movements WHERE warehouse = '' AND occurred_at >= {since:DateTime64(3, 'UTC')})
    GROUP BY return_id
),
moves AS (
    SELECT if(m.warehouse = '', r.warehouse, m.warehouse) AS warehouse, m.sku AS sku, m.occurred_at AS occurred_at, m.delta AS delta
    FROM stock_movements AS m LEFT JOIN restocks AS r ON m.return_id = r.return_id
    WHERE m.occurred_at >= {since:DateTime64(3, 'UTC')}
),
costs AS (
    SELECT warehouse, sku, argMaxMerge(unit_cost) AS unit_cost FROM stock_count_facts GROUP BY warehouse, sku
)
SELECT p.warehouse AS warehouse, p.sku AS sku, p.at AS at, p.on_hand AS on_hand,
       p.prev_on_hand + sumIf(mv.delta, mv.occurred_at > p.prev_at AND mv.occurred_at <= p.at) AS derived,
       any(c.unit_cost) AS unit_cost
FROM pairs AS p
LEFT JOIN moves AS mv ON mv.warehouse = p.warehouse AND mv.sku = p.sku
LEFT JOIN costs AS c ON c.warehouse = p.warehouse AND c.sku = p.sku
GROUP BY p.warehouse, p.sku, p.at, p.on_hand, p.prev_at, p.prev_on_hand
HAVING abs(on_hand - derived) > {tolerance:Int64}`,
      params: { since: toChDateTime(since), tolerance: Math.floor(ctx.settings.thresholds.toleranceUnits ?? 0) },
      schema: driftSchema,
    });
    return rows.map((r) => {
      const diff = r.on_hand - r.derived;
      return {
        queue: 'inventory_discrepancies' as const,
        rule: 'stock_snapshot_drift',
        dedupeKey: `drift:${r.warehouse}:${r.sku}`,
        severity: Math.abs(diff) * r.unit_cost >= 500 ? ('high' as const) : ('medium' as const),
        summary: `${r.sku} at ${r.warehouse}: the core counts ${r.on_hand}, events say ${r.derived} (${diff > 0 ? '+' : ''}${diff})`,
        valueAtRisk: Math.abs(diff) * r.unit_cost,
        currency: 'USD',
        entities: [{ kind: 'sku' as const, id: r.sku }],
        warehouse: r.warehouse,
        channel: null,
        beganAt: r.at,
      };
    });
  },
};
