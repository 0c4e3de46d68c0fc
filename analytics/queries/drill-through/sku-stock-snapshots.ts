import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import { chDateTimeIso } from '../../ch-time';

/** The core's latest count of one SKU in one warehouse (`stock.snapshot`), by status. */
export interface StockSnapshot {
  warehouse: string;
  at: string;
  onHand: number;
  reserved: number;
  /** on hand − reserved, as the core counts it (CoreReader's StockView does the same). */
  available: number;
  quarantine: number;
  damaged: number;
  inTransit: number;
}

const rowSchema = z.object({
  warehouse: z.string(),
  at: chDateTimeIso,
  on_hand: z.number(),
  reserved: z.number(),
  quarantine: z.number(),
  damaged: z.number(),
  in_transit: z.number(),
});

/**
 * The latest `stock.snapshot` per warehouse for `sku`, by business time; a snapshot that arrives
 * late never replaces a newer one. Optional statuses the producer left out read as 0.
 */
export async function getSkuStockSnapshots(a: Analytics, sku: string): Promise<StockSnapshot[]> {
  const rows = await a.query({
    name: 'drill-through.sku-stock-snapshots',
    sql: `SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    occurred_at AS at,
    JSONExtractInt(data, 'on_hand') AS on_hand,
    JSONExtractInt(data, 'reserved') AS reserved,
    JSONExtractInt(data, 'quarantine') AS quarantine,
    JSONExtractInt(data, 'damaged') AS damaged,
    JSONExtractInt(data, 'in_transit') AS in_transit
FROM events
WHERE type = 'stock.snapshot' AND has(skus, {sku:String})
ORDER BY warehouse, occurred_at DESC, received_at DESC, id
LIMIT 1 BY warehouse`,
    params: { sku },
    schema: rowSchema,
  });
  return rows.map((r) => ({
    warehouse: r.warehouse,
    at: r.at,
    onHand: r.on_hand,
    reserved: r.reserved,
    available: r.on_hand - r.reserved,
    quarantine: r.quarantine,
    damaged: r.damaged,
    inTransit: r.in_transit,
  }));
}
