import { z } from 'zod';
import type { TransactionalStore } from '@/lib/db/transactional-store';
import type { ExceptionQueue, Severity } from '@/lib/exceptions/exception-item';
import type { ExceptionTables } from '@/lib/exceptions/workflow-schema';
import type { BoardFilters } from '../board-view';
import type { CustomKpiReader } from '../kpi-definition';
import { oneReadPerBoard } from './one-read-per-board';

const countSchema = z.object({ queue: z.string(), severity: z.string(), n: z.coerce.number() });
export type OpenExceptionCount = z.infer<typeof countSchema>;

/**
 * Exceptions open at `at` per queue and severity: opened before it and not resolved by then
 * (open, claimed and snoozed alike). Severity is the item's current one. Filters by the item's
 * channel and warehouse.
 */
export async function countOpenExceptions(
  store: TransactionalStore,
  q: { at: Date; filters: BoardFilters },
): Promise<OpenExceptionCount[]> {
  let query = store.db
    .withTables<ExceptionTables>()
    .selectFrom('exception_items')
    .select(['queue', 'severity', (eb) => eb.fn.countAll<string>().as('n')])
    .where('opened_at', '<', q.at)
    // Written as two arms so each can use its index: the unresolved partial one and resolved_at.
    .where((eb) => eb.or([eb('status', '<>', 'resolved'), eb('resolved_at', '>=', q.at)]));
  if (q.filters.channel) query = query.where('channel', '=', q.filters.channel);
  if (q.filters.warehouse) query = query.where('warehouse', '=', q.filters.warehouse);
  const rows = await query.groupBy(['queue', 'severity']).execute();
  return rows.map((r) => countSchema.parse(r));
}

const countsAtEndOfPeriod = oneReadPerBoard((store, query) =>
  countOpenExceptions(store, { at: query.period.to, filters: query.filters }),
);

/** A reader of the exceptions open at the end of the period, all of them or one queue's or severity's. */
export function openExceptionsReader(only: { queue?: ExceptionQueue; severity?: Severity } = {}): CustomKpiReader {
  return async ({ store }, query) => {
    if (!store) return null;
    const counts = await countsAtEndOfPeriod(store, query);
    return counts
      .filter((c) => (!only.queue || c.queue === only.queue) && (!only.severity || c.severity === only.severity))
      .reduce((total, c) => total + c.n, 0);
  };
}
