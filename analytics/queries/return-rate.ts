import { z } from 'zod';
import type { Analytics } from '../clickhouse';
import { toChDateTime } from '../ch-time';

const rowSchema = z.object({ units_shipped: z.number(), units_returned: z.number() });

/**
 * The ship cohort of [from, to): orders whose first shipment falls in the range. Returns units
 * shipped to those orders and units of their returns that were not rejected, whenever the return
 * came: a return is booked against the cohort of the shipment it returns, not its own date.
 */
export async function getReturnCohortUnits(
  a: Analytics,
  range: { from: Date; to: Date },
): Promise<{ unitsShipped: number; unitsReturned: number }> {
  const [row] = await a.query({
    name: 'board.return-rate',
    sql: `SELECT sum(cohort.shipped_units) AS units_shipped, sum(returned.units) AS units_returned
FROM
(
    SELECT order_id, sum(units_shipped) AS shipped_units
    FROM order_facts
    -- Orders with a shipment in the range are the only candidates; the key index skips the rest.
    WHERE order_id IN (
        SELECT order_id FROM order_facts
        WHERE first_shipped_at >= {from:DateTime64(3, 'UTC')} AND first_shipped_at < {to:DateTime64(3, 'UTC')}
    )
    GROUP BY order_id
    HAVING min(first_shipped_at) >= {from:DateTime64(3, 'UTC')} AND min(first_shipped_at) < {to:DateTime64(3, 'UTC')}
) AS cohort
LEFT JOIN
(
    SELECT returned_order, sum(return_units) AS units
    FROM
    (
        SELECT max(order_id) AS returned_order, sum(units_requested) AS return_units, max(rejected) AS was_rejected
        FROM return_facts
        GROUP BY return_id
    )
    WHERE was_rejected = 0
    GROUP BY returned_order
) AS returned ON returned.returned_order = cohort.order_id`,
    params: { from: toChDateTime(range.from), to: toChDateTime(range.to) },
    schema: rowSchema,
  });
  return { unitsShipped: row?.units_shipped ?? 0, unitsReturned: row?.units_returned ?? 0 };
}
