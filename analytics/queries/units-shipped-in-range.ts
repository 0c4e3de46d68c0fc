import { z } from 'zod';
import type { Analytics } from '../clickhouse';
import { toChDateTime } from '../ch-time';

const rowSchema = z.object({ shipments: z.number(), units_shipped: z.number() });

/** Shipments and units shipped (`order.shipped` lines) in [from, to), from the hourly rollup. */
export async function getUnitsShippedInRange(
  a: Analytics,
  range: { from: Date; to: Date },
): Promise<{ shipments: number; unitsShipped: number }> {
  const [row] = await a.query({
    name: 'board.units-shipped-in-range',
    sql: `SELECT sum(shipments) AS shipments, sum(units_shipped) AS units_shipped
FROM shipments_hourly
WHERE hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')}`,
    params: { from: toChDateTime(range.from), to: toChDateTime(range.to) },
    schema: rowSchema,
  });
  return { shipments: row?.shipments ?? 0, unitsShipped: row?.units_shipped ?? 0 };
}
