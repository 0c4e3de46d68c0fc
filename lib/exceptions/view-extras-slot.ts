import type { Kysely } from 'kysely';
import { liveBusSlot } from '../bus/live-bus';
import { runtimeSlot } from '../runtime-slot';
import type { ExceptionView } from './exception-view';
import { countByQueue, readViewExtras } from './list-exceptions';
import { createViewExtrasCache, type ViewExtras, type ViewExtrasCache } from './view-extras-cache';

/** Ten seconds of possibly stale counts at worst, should a change announcement be lost. */
const MAX_AGE_MS = 10_000;

// Process-wide: each route handler is bundled apart, and all must see one cache and one subscription.
const slot = runtimeSlot<{ cache: ViewExtrasCache; subscribed: boolean }>('exception-view-extras');

/**
 * The extras of a view for this process's routes: cached once the process listens to the
 * `exceptions` topic (every change to the items is announced there, with the counts after it, by
 * the engine and the routes alike); read from the store until then, or when there is no bus.
 */
export function viewExtras(db: Kysely<object>): (view: ExceptionView) => Promise<ViewExtras> {
  let held = slot.peek();
  const bus = liveBusSlot.peek();
  if (!held && bus) {
    const entry = {
      cache: createViewExtrasCache({
        load: (v) => readViewExtras(db, v),
        loadCounts: (v) => countByQueue(db, v),
        maxAgeMs: MAX_AGE_MS,
      }),
      subscribed: false,
    };
    slot.set(entry);
    held = entry;
    bus
      .subscribe('exceptions', (change) => entry.cache.apply(change))
      .then(
        () => {
          entry.cache.invalidate();
          entry.subscribed = true;
        },
        (err: unknown) =>
          console.error('[exceptions] view extras stay uncached:', err instanceof Error ? err.message : err),
      );
  }
  const cached = held?.subscribed ? held.cache : null;
  return (view) => (cached ? cached.get(view) : readViewExtras(db, view));
}

/** This process changed items: its own cache forgets at once, not when the announcement returns. */
export function forgetViewExtras(): void {
  slot.peek()?.cache.invalidate();
}
