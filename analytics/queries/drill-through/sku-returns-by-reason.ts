import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import { toChDateTime } from '../../ch-time';

export interface ReturnReason {
  reasonCode: string;
  /** Returns that asked to send this SKU back for this reason, rejected ones included. */
  returns: number;
  /** Units requested back on returns that were not rejected. */
  units: number;
  /** Units requested back on returns the seller rejected. */
  rejectedUnits: number;
}

const rowSchema = z.object({
  reason_code: z.string(),
  returns: z.number(),
  units: z.number(),
  rejected_units: z.number(),
});

/**
 * Units of `sku` customers asked to return, by reason code, for returns requested in [from, to)
 * (by request date, unlike the board's return rate, which follows the ship cohort). Each stored
 * event counts once; a rejection stored at any time moves the units to `rejectedUnits`.
 */
export async function getSkuReturnsByReason(
  a: Analytics,
  q: { sku: string; from: Date; to: Date },
): Promise<ReturnReason[]> {
  const rows = await a.query({
    name: 'drill-through.sku-returns-by-reason',
    sql: `WITH requested AS (
    SELECT id, return_id, data FROM events
    WHERE type = 'return.requested'
      AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
      AND has(skus, {sku:String})
    LIMIT 1 BY id
)
SELECT
    JSONExtractString(line, 'reason_code') AS reason_code,
    uniqExact(return_id) AS returns,
    sumIf(JSONExtractInt(line, 'qty'), NOT rejected) AS units,
    sumIf(JSONExtractInt(line, 'qty'), rejected) AS rejected_units
FROM
(
    SELECT return_id, data,
           return_id IN (
               SELECT return_id FROM events
               WHERE type = 'return.rejected' AND return_id IN (SELECT return_id FROM requested)
           ) AS rejected
    FROM requested
)
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE JSONExtractString(line, 'sku') = {sku:String}
GROUP BY reason_code
ORDER BY units + rejected_units DESC, reason_code`,
    params: { sku: q.sku, from: toChDateTime(q.from), to: toChDateTime(q.to) },
    schema: rowSchema,
  });
  return rows.map((r) => ({ reasonCode: r.reason_code, returns: r.returns, units: r.units, rejectedUnits: r.rejected_units }));
}
