import { z } from 'zod';
import type { Analytics } from '../clickhouse';
import { chDateTimeIso, toChDateTime } from '../ch-time';

const rowSchema = z.object({ hour: chDateTimeIso, channel: z.string(), orders: z.number() });

export type OrdersByChannelHour = z.infer<typeof rowSchema>;

/** Orders per hour (ISO, UTC) and channel in [from, to); hours without orders are absent, not zero. */
export async function getOrdersByChannelHourly(
  a: Analytics,
  range: { from: Date; to: Date },
): Promise<OrdersByChannelHour[]> {
  return a.query({
    name: 'board.orders-by-channel-hourly',
    sql: `SELECT hour, channel, sum(orders) AS orders
FROM orders_hourly
WHERE hour >= {from:DateTime64(3, 'UTC')} AND hour < {to:DateTime64(3, 'UTC')}
GROUP BY hour, channel
ORDER BY hour, channel`,
    params: { from: toChDateTime(range.from), to: toChDateTime(range.to) },
    schema: rowSchema,
  });
}
