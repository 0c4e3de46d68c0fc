import { z } from 'zod';
import type { Analytics } from '../../clickhouse';

/** How on-hand stock moves, in the words of the reconciliation rule (migration 013). */
export const MOVEMENT_KINDS = ['received', 'shipped', 'adjusted', 'transferred', 'restocked'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface WarehouseMovement {
  /** '' for a restock whose return has not been reported received anywhere yet. */
  warehouse: string;
  kind: MovementKind;
  unitsIn: number;
  unitsOut: number;
}

const KIND_OF: Record<string, MovementKind> = {
  'stock.received': 'received',
  'order.shipped': 'shipped',
  'stock.adjusted': 'adjusted',
  'stock.transferred': 'transferred',
  'return.inspected': 'restocked',
};

const rowSchema = z.object({
  warehouse: z.string(),
  kind: z.string(),
  units_in: z.number(),
  units_out: z.number(),
});

/**
 * On-hand movements of `sku` per warehouse after that warehouse's latest snapshot (all of them
 * where there is none yet), from the same `stock_movements` the snapshot-drift rule reads: what
 * the events say changed since the core last counted. A restock at inspection belongs to the
 * warehouse that received the return.
 */
export async function getSkuMovementSinceSnapshot(a: Analytics, sku: string): Promise<WarehouseMovement[]> {
  const rows = await a.query({
    name: 'drill-through.sku-movement-since-snapshot',
    sql: `WITH
snaps AS (
    SELECT warehouse, max(at) AS at FROM stock_snapshots WHERE sku = {sku:String} GROUP BY warehouse
),
restocks AS (
    SELECT return_id, max(warehouse) AS warehouse FROM return_watch_facts
    WHERE return_id IN (SELECT return_id FROM stock_movements WHERE sku = {sku:String} AND return_id != '')
    GROUP BY return_id
),
moves AS (
    SELECT if(m.warehouse = '', r.warehouse, m.warehouse) AS warehouse, m.kind AS kind, m.occurred_at AS occurred_at, m.delta AS delta
    FROM stock_movements AS m LEFT JOIN restocks AS r ON m.return_id = r.return_id
    WHERE m.sku = {sku:String}
)
SELECT mv.warehouse AS warehouse, toString(mv.kind) AS kind,
       sum(greatest(mv.delta, 0)) AS units_in, sum(greatest(-mv.delta, 0)) AS units_out
FROM moves AS mv LEFT JOIN snaps AS s ON s.warehouse = mv.warehouse
WHERE s.at IS NULL OR mv.occurred_at > s.at
GROUP BY warehouse, kind
ORDER BY warehouse, kind`,
    params: { sku },
    schema: rowSchema,
  });
  return rows.flatMap((r) => {
    const kind = KIND_OF[r.kind];
    return kind ? [{ warehouse: r.warehouse, kind, unitsIn: r.units_in, unitsOut: r.units_out }] : [];
  });
}
