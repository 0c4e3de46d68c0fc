import type { TransactionalStore } from '@/lib/db/transactional-store';
import type { BoardFilters } from '../board-view';
import type { CustomKpiQuery } from '../kpi-definition';

type Load<T> = (store: TransactionalStore, query: CustomKpiQuery) => Promise<T>;

/**
 * Shares one load between the custom readers of one board read: readKpis hands every tile and
 * part of a filter group the same `filters` object and the same periods, so keying on that
 * object's identity (then on the period and `now`) lets a tile with a dozen parts cost one query
 * per period. A later board read brings new objects, so nothing is served stale across reads.
 */
export function oneReadPerBoard<T>(load: Load<T>): Load<T> {
  const reads = new WeakMap<TransactionalStore, WeakMap<BoardFilters, Map<string, Promise<T>>>>();
  return (store, query) => {
    const byFilters = reads.get(store) ?? new WeakMap<BoardFilters, Map<string, Promise<T>>>();
    reads.set(store, byFilters);
    const byPeriod = byFilters.get(query.filters) ?? new Map<string, Promise<T>>();
    byFilters.set(query.filters, byPeriod);
    const key = `${query.period.from.toISOString()}|${query.period.to.toISOString()}|${query.now.toISOString()}`;
    let read = byPeriod.get(key);
    if (!read) {
      read = load(store, query);
      byPeriod.set(key, read);
      // A failed read is not kept: the next tile asks again.
      read.catch(() => byPeriod.delete(key));
    }
    return read;
  };
}
