import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import { chDateTimeIso, toChDateTime } from '../../ch-time';

/** One return that asked to send `sku` back: the row that opens its drill-through page. */
export interface SkuReturn {
  returnId: string;
  orderId: string;
  requestedAt: string;
  units: number;
  reasonCodes: string[];
}

const rowSchema = z.object({
  return_id: z.string(),
  order_id: z.string(),
  requested_at: chDateTimeIso,
  units: z.number(),
  reason_codes: z.array(z.string()),
});

/** The latest returns requested in [from, to) that include `sku`, newest first. */
export async function getSkuRecentReturns(
  a: Analytics,
  q: { sku: string; from: Date; to: Date; limit: number },
): Promise<SkuReturn[]> {
  const rows = await a.query({
    name: 'drill-through.sku-recent-returns',
    sql: `SELECT
    return_id,
    order_id,
    occurred_at AS requested_at,
    arraySum(arrayMap(l -> if(JSONExtractString(l, 'sku') = {sku:String}, JSONExtractInt(l, 'qty'), 0), JSONExtractArrayRaw(data, 'lines'))) AS units,
    arrayDistinct(arrayMap(l -> JSONExtractString(l, 'reason_code'),
        arrayFilter(l -> JSONExtractString(l, 'sku') = {sku:String}, JSONExtractArrayRaw(data, 'lines')))) AS reason_codes
FROM events
WHERE type = 'return.requested'
  AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  AND has(skus, {sku:String})
ORDER BY occurred_at DESC, id
LIMIT 1 BY return_id
LIMIT {limit:UInt32}`,
    params: { sku: q.sku, from: toChDateTime(q.from), to: toChDateTime(q.to), limit: q.limit },
    schema: rowSchema,
  });
  return rows.map((r) => ({
    returnId: r.return_id,
    orderId: r.order_id,
    requestedAt: r.requested_at,
    units: r.units,
    reasonCodes: r.reason_codes,
  }));
}
