/** One stored count: orders of one channel in the hour starting at `hour` (ISO). */
export interface ChannelHourOrders {
  hour: string;
  channel: string;
  orders: number;
}

export interface HourBucket {
  /** ISO start of the hour, UTC. */
  hourStart: string;
  /** Axis label, "HH:00" in UTC. */
  label: string;
  /**
   * Orders per channel. An hour that has begun and has no row for a channel had no orders (0);
   * an hour that has not begun yet is a gap (null), so the chart never claims a future zero.
   */
  orders: Record<string, number | null>;
}

export interface OrdersByChannelSeries {
  /** Channels by total orders over the day, busiest first, so stacking and colours stay stable. */
  channels: string[];
  buckets: HourBucket[];
  totalOrders: number;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Shapes a day's hourly orders-by-channel rows into 24 UTC hour buckets for a stacked chart.
 * Rows outside the day are ignored; repeated (hour, channel) rows add up.
 */
export function shapeOrdersByChannel(rows: readonly ChannelHourOrders[], o: { day: string; now: Date }): OrdersByChannelSeries {
  const dayStart = Date.parse(`${o.day}T00:00:00Z`);
  if (Number.isNaN(dayStart)) throw new Error(`Not a day: "${o.day}" (expected YYYY-MM-DD)`);

  const byHour = new Map<number, Map<string, number>>();
  const totals = new Map<string, number>();
  for (const row of rows) {
    const at = Date.parse(row.hour);
    if (Number.isNaN(at) || at < dayStart || at >= dayStart + 24 * HOUR_MS) continue;
    const hourStart = at - (at % HOUR_MS);
    const counts = byHour.get(hourStart) ?? new Map<string, number>();
    counts.set(row.channel, (counts.get(row.channel) ?? 0) + row.orders);
    byHour.set(hourStart, counts);
    totals.set(row.channel, (totals.get(row.channel) ?? 0) + row.orders);
  }

  const channels = [...totals.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([channel]) => channel);

  const buckets: HourBucket[] = [];
  for (let h = 0; h < 24; h++) {
    const start = dayStart + h * HOUR_MS;
    const begun = start <= o.now.getTime();
    const counts = byHour.get(start);
    const orders: Record<string, number | null> = {};
    for (const channel of channels) orders[channel] = counts?.get(channel) ?? (begun ? 0 : null);
    buckets.push({ hourStart: new Date(start).toISOString(), label: `${String(h).padStart(2, '0')}:00`, orders });
  }

  let totalOrders = 0;
  for (const total of totals.values()) totalOrders += total;
  return { channels, buckets, totalOrders };
}
