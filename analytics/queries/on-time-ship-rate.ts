import { z } from 'zod';
import type { Analytics } from '../clickhouse';
import { toChDateTime } from '../ch-time';

const rowSchema = z.object({ on_time: z.number(), shipped_with_promise: z.number() });

/**
 * For orders first shipped in [from, to) that carried a `promised_ship_by`: how many shipped by
 * the promise, and how many there were. Orders without a promise are in neither count.
 */
export async function getOnTimeShipCounts(
  a: Analytics,
  range: { from: Date; to: Date },
): Promise<{ onTime: number; shippedWithPromise: number }> {
  const [row] = await a.query({
    name: 'board.on-time-ship-rate',
    sql: `SELECT countIf(shipped <= promised) AS on_time, count() AS shipped_with_promise
FROM
(
    SELECT order_id, min(first_shipped_at) AS shipped, max(promised_ship_by) AS promised
    FROM order_facts
    -- Only orders with a shipment in the range can have their first one there; the key index
    -- then reads just those orders' rows instead of grouping every order ever placed.
    WHERE order_id IN (
        SELECT order_id FROM order_facts
        WHERE first_shipped_at >= {from:DateTime64(3, 'UTC')} AND first_shipped_at < {to:DateTime64(3, 'UTC')}
    )
    GROUP BY order_id
)
WHERE shipped >= {from:DateTime64(3, 'UTC')} AND shipped < {to:DateTime64(3, 'UTC')} AND promised IS NOT NULL`,
    params: { from: toChDateTime(range.from), to: toChDateTime(range.to) },
    schema: rowSchema,
  });
  return { onTime: row?.on_time ?? 0, shippedWithPromise: row?.shipped_with_promise ?? 0 };
}
