import type { ExceptionQueue } from './exception-item';
import type { ExceptionFacets, ExceptionsChange } from './exception-feed';
import { isFiltered, type ExceptionView } from './exception-view';

/** What a queue's first page carries besides its rows: the tab counts and the filter bar's values. */
export interface ViewExtras {
  counts: Record<ExceptionQueue, number>;
  facets?: ExceptionFacets;
}

export interface ViewExtrasCache {
  get(view: ExceptionView): Promise<ViewExtras>;
  /** The items changed as announced: the unfiltered views take the announced counts, the rest are read again. */
  apply(change: ExceptionsChange): void;
  /** Something changed the items: every view's extras are read again on their next request. */
  invalidate(): void;
}

/** The parts of a view its extras depend on (the sort does not change a count). */
const keyOf = (v: ExceptionView) => JSON.stringify([v.queue, v.status, v.severity, v.warehouse, v.channel, v.assignee]);

interface Entry {
  at: number;
  view: ExceptionView;
  value: Promise<ViewExtras>;
  /** A change came that the counts of this (filtered) view cannot take from its announcement. */
  countsStale: boolean;
}

const withValue = (values: string[], value: string | null) =>
  value === null || values.includes(value) ? values : [...values, value].sort();

/** The filter values once the changed items are in: a value that appears is added at once. */
function mergeFacets(facets: ExceptionFacets, queue: ExceptionQueue, change: ExceptionsChange): ExceptionFacets {
  let { warehouses, channels, assignees } = facets;
  for (const item of change.upserted) {
    if (item.queue !== queue || item.status === 'resolved') continue;
    warehouses = withValue(warehouses, item.warehouse);
    channels = withValue(channels, item.channel);
    if (item.assigneeId && !assignees.some((a) => a.id === item.assigneeId)) {
      assignees = [...assignees, { id: item.assigneeId, name: item.assigneeName ?? item.assigneeId }];
    }
  }
  return { warehouses, channels, assignees };
}

/**
 * Extras per view, counted once and kept up to date rather than recounted with every first page.
 * Every change to the items is announced on the `exceptions` topic with the unresolved count per
 * queue: the unfiltered views take those counts and any new filter value from the announcement;
 * filtered views take the new filter values (which depend on the queue alone) but not the counts
 * (an announcement does not say what an item was before), so their counts are read again on
 * their next request. A value whose last item left lingers until `maxAgeMs`, which also
 * bounds the damage of an announcement that got lost.
 */
export function createViewExtrasCache(o: {
  load(view: ExceptionView): Promise<ViewExtras>;
  /** The counts alone, for a filtered view after a change; its filter values follow the announcement. */
  loadCounts?(view: ExceptionView): Promise<ViewExtras['counts']>;
  maxAgeMs: number;
  maxEntries?: number;
  now?: () => number;
}): ViewExtrasCache {
  const now = o.now ?? Date.now;
  const maxEntries = o.maxEntries ?? 500;
  const entries = new Map<string, Entry>();
  return {
    get(view) {
      const key = keyOf(view);
      const hit = entries.get(key);
      if (hit && now() - hit.at < o.maxAgeMs) {
        if (hit.countsStale && o.loadCounts) {
          const counts = o.loadCounts(view);
          hit.countsStale = false;
          hit.value = Promise.all([hit.value, counts]).then(([extras, fresh]) => ({ ...extras, counts: fresh }));
          hit.value.catch(() => entries.get(key) === hit && entries.delete(key));
        }
        return hit.value;
      }
      if (entries.size >= maxEntries) entries.clear();
      const value = o.load(view);
      const entry = { at: now(), view, value, countsStale: false };
      entries.set(key, entry);
      // A failed read is not kept: the next request tries again.
      value.catch(() => entries.get(key) === entry && entries.delete(key));
      return value;
    },
    apply(change) {
      for (const [key, entry] of entries) {
        if (isFiltered(entry.view) && !o.loadCounts) {
          entries.delete(key);
          continue;
        }
        const filtered = isFiltered(entry.view);
        if (filtered) entry.countsStale = true;
        const { queue } = entry.view;
        entry.value = entry.value.then((extras) => ({
          counts: filtered ? extras.counts : change.counts,
          ...(extras.facets && queue ? { facets: mergeFacets(extras.facets, queue, change) } : {}),
        }));
        entry.value.catch(() => entries.get(key) === entry && entries.delete(key));
      }
    },
    invalidate() {
      entries.clear();
    },
  };
}
