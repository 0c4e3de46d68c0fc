import type { Analytics } from '../clickhouse';
import { addUtcDays, startOfUtcDay } from '../ch-time';
import { boardTiles, RETURN_COHORT_DAYS, type BoardTileKey } from '../kpis/board-tiles';
import { getDataFreshness } from '../queries/data-freshness';
import { getOnTimeShipCounts } from '../queries/on-time-ship-rate';
import { getOpenBacklog } from '../queries/open-backlog';
import { getOrdersByChannelHourly } from '../queries/orders-by-channel-hourly';
import { getOrdersInRange } from '../queries/orders-in-range';
import { getReturnCohortUnits } from '../queries/return-rate';
import { getUnitsShippedInRange } from '../queries/units-shipped-in-range';
import { boardSnapshotSchema, type BoardSnapshot } from './board-snapshot';

/** The board as of `now`: "today" is now's UTC day; every tile reads a rollup, never `events`. */
export async function computeBoard(a: Analytics, now: Date): Promise<BoardSnapshot> {
  const today = { from: startOfUtcDay(now), to: addUtcDays(startOfUtcDay(now), 1) };
  const returnCohort = { from: addUtcDays(today.from, -(RETURN_COHORT_DAYS - 1)), to: today.to };

  const [sales, shipped, openBacklog, onTime, returns, ordersByChannel, freshness] = await Promise.all([
    getOrdersInRange(a, today),
    getUnitsShippedInRange(a, today),
    getOpenBacklog(a, now),
    getOnTimeShipCounts(a, today),
    getReturnCohortUnits(a, returnCohort),
    getOrdersByChannelHourly(a, today),
    getDataFreshness(a),
  ]);

  const values: Record<BoardTileKey, number | null> = {
    orders: sales.orders,
    gross_sales: sales.grossSales,
    units_shipped: shipped.unitsShipped,
    open_backlog: openBacklog,
    on_time_ship_rate: rate(onTime.onTime, onTime.shippedWithPromise),
    return_rate: rate(returns.unitsReturned, returns.unitsShipped),
  };

  return boardSnapshotSchema.parse({
    computedAt: now.toISOString(),
    day: today.from.toISOString().slice(0, 10),
    lastEventAt: freshness.lastEventAt,
    lastFlushAt: freshness.lastFlushAt,
    tiles: boardTiles.map((t) => ({ ...t, value: values[t.key] })),
    ordersByChannel,
  });
}

/** A share, or null when there is nothing to divide by: "no data" must never read as 0 %. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
