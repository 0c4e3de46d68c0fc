import { sql } from 'kysely';
import { z } from 'zod';
import type { TransactionalStore } from '@/lib/db/transactional-store';
import type { ExceptionTables } from '@/lib/exceptions/workflow-schema';
import type { BoardFilters, Period } from '../board-view';
import type { CustomKpiReader } from '../kpi-definition';
import { oneReadPerBoard } from './one-read-per-board';

const rowSchema = z.object({
  resolved: z.coerce.number(),
  p50: z.coerce.number().nullable(),
  p90: z.coerce.number().nullable(),
});
export type ResolutionTimes = z.infer<typeof rowSchema>;

/**
 * Over the exceptions resolved in [from, to): how many, and the exact p50 and p90 (nearest rank)
 * of resolved_at − opened_at, in seconds. Filters by the item's channel and warehouse.
 */
export async function readResolutionTimes(
  store: TransactionalStore,
  q: { period: Period; filters: BoardFilters },
): Promise<ResolutionTimes> {
  const seconds = sql`extract(epoch from resolved_at - opened_at)`;
  let query = store.db
    .withTables<ExceptionTables>()
    .selectFrom('exception_items')
    .select([
      (eb) => eb.fn.countAll<string>().as('resolved'),
      sql<string | null>`percentile_disc(0.5) within group (order by ${seconds})`.as('p50'),
      sql<string | null>`percentile_disc(0.9) within group (order by ${seconds})`.as('p90'),
    ])
    .where('resolved_at', '>=', q.period.from)
    .where('resolved_at', '<', q.period.to);
  if (q.filters.channel) query = query.where('channel', '=', q.filters.channel);
  if (q.filters.warehouse) query = query.where('warehouse', '=', q.filters.warehouse);
  return rowSchema.parse(await query.executeTakeFirstOrThrow());
}

const timesInPeriod = oneReadPerBoard((store, query) =>
  readResolutionTimes(store, { period: query.period, filters: query.filters }),
);

/** A reader of the p50 or p90 time to resolve, in hours; null when nothing was resolved in the period. */
export function resolutionTimeReader(percentile: 'p50' | 'p90'): CustomKpiReader {
  return async ({ store }, query) => {
    if (!store) return null;
    const times = await timesInPeriod(store, query);
    const seconds = times[percentile];
    return times.resolved === 0 || seconds === null ? null : seconds / 3_600;
  };
}
