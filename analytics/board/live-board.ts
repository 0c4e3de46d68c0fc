import type { TransactionalStore } from '@/lib/db/transactional-store';
import type { LedgerLag, LiveBus } from '@/lib/bus/live-bus';
import { runtimeSlot } from '@/lib/runtime-slot';
import type { Analytics } from '../clickhouse';
import { withPriority } from '../with-priority';
import { boardViewQuery, parseBoardView, type BoardView } from '../kpis/board-view';
import { holdLedgerReads } from '../kpis/ledger/held-ledger-reads';
import type { KpiLedger } from '../kpis/ledger/kpi-ledger';
import { targetsInForceMap } from '../kpis/kpi-targets';
import { STOCK_AGEING_EVENT_TYPES } from '../kpis/stock/stock-ageing';
import type { BoardSnapshot } from './board-snapshot';
import type { DataFreshness } from '../queries/data-freshness';
import { computeBoardView, type TargetsInForce } from './compute-board-view';

export interface LiveBoards {
  /** The view's snapshot as of the latest tick: computed now if nobody watches it or it is stale. */
  current(view: BoardView): Promise<BoardSnapshot>;
  /** A viewer in this process watches the view (by its canonical key); returns how to stop. */
  watch(viewKey: string): () => void;
  /** Called with every recomputed watched view, once per tick whatever the number of its viewers. */
  onChange(listener: (snapshot: BoardSnapshot) => void): () => void;
  /** The views watched right now and how many viewers each has (for tests and the log). */
  watched(): ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** A round slower than this delays what every viewer sees: worth a line in the log. */
const SLOW_ROUND_MS = 1_000;

interface Entry {
  snapshot: BoardSnapshot;
  tick: number;
}

/**
 * Computes each distinct board view once per ledger tick (a pass of the ledger worker), and only
 * the views someone watches: chDB runs one statement at a time, so per-viewer queries would queue
 * behind each other. Ticks that land while a round runs coalesce into one more round. A target change recomputes the
 * watched views too, and a slow periodic tick keeps "today" and the freshness line honest when
 * no events arrive. On chDB, with the ledger kept in this process, a round after a pass reads no
 * ledger rows: the views' sums are kept and the pass's difference added to them (held-ledger-reads).
 */
export async function createLiveBoards(o: {
  analytics: Analytics;
  /** Targets and the exception KPIs live here; without it the board shows catalogue targets only. */
  store?: TransactionalStore;
  bus: LiveBus;
  /**
   * The ledger, when its worker runs in this process: on chDB the boards then keep their ledger
   * sums and add each pass's difference to them, rather than read the ledger after every pass.
   */
  ledger?: KpiLedger;
  refreshEveryMs?: number;
  now?: () => Date;
}): Promise<LiveBoards> {
  const now = o.now ?? (() => new Date());
  // A round finishes what a ledger pass started: its reads go ahead of new work.
  const live = withPriority(o.analytics, 'live');
  const viewers = new Map<string, number>();
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<BoardSnapshot>>();
  const listeners = new Set<(snapshot: BoardSnapshot) => void>();
  let tick = 0;
  /** Bumped by every pass that stored stock events (and by the periodic tick, in case one was missed). */
  let stockVersion = 0;
  const stockReadings = {};
  const heldReads = o.ledger && o.analytics.engine === 'chdb' ? holdLedgerReads(o.ledger) : undefined;
  // The freshness line, kept from a view's read and moved on by each pass's announcement (the
  // newest event it brought), so a round after a pass need not read it again for every view.
  // Read afresh with the periodic tick, and after an announcement without times.
  let freshness: DataFreshness | undefined;
  let freshnessMoves = 0;
  let round: Promise<void> | null = null;
  let again = false;
  let closed = false;
  /** What the ledger worker last said of its lag: every snapshot handed out carries it. */
  let behind: LedgerLag['behind'] = null;
  const told = (snapshot: BoardSnapshot): BoardSnapshot =>
    snapshot.freshness.behind === behind ? snapshot : { ...snapshot, freshness: { ...snapshot.freshness, behind } };

  // Kept until an admin changes one (the 'targets' announcement): a round then starts its reads
  // as soon as the pass before it ends, rather than after a trip to the store.
  let inForce: Promise<TargetsInForce> | null = null;
  const targets = (): Promise<TargetsInForce> => {
    const store = o.store;
    if (!store) return Promise.resolve(new Map());
    inForce ??= targetsInForceMap(store.db).catch((err: unknown) => {
      inForce = null;
      throw err;
    });
    return inForce;
  };

  const compute = (viewKey: string, forTick: number, inForce?: TargetsInForce): Promise<BoardSnapshot> => {
    const running = inFlight.get(viewKey);
    if (running) return running;
    const started = (async () => {
      try {
        const view = parseBoardView(new URLSearchParams(viewKey));
        const moves = freshnessMoves;
        const snapshot = await computeBoardView(
          { analytics: live, store: o.store, stock: { version: stockVersion, keptBy: stockReadings }, heldReads },
          view,
          now(),
          inForce ?? (await targets()),
          freshness,
        );
        // Kept only if no announcement came while it was read: that pass's events may be missing from it.
        if (!freshness && moves === freshnessMoves) freshness = snapshot.freshness;
        const cached = cache.get(viewKey);
        if (!cached || cached.tick <= forTick) cache.set(viewKey, { snapshot, tick: forTick });
        return snapshot;
      } finally {
        inFlight.delete(viewKey);
      }
    })();
    inFlight.set(viewKey, started);
    return started;
  };

  const runRound = async () => {
    do {
      again = false;
      const started = Date.now();
      const forTick = tick;
      const inForce = await targets();
      for (const viewKey of [...viewers.keys()]) {
        if (closed) return;
        try {
          const snapshot = told(await compute(viewKey, forTick, inForce));
          for (const listener of listeners) listener(snapshot);
        } catch (err) {
          console.error(`[board] view "${viewKey}" failed:`, err instanceof Error ? err.message : err);
        }
      }
      if (Date.now() - started > SLOW_ROUND_MS) {
        console.warn(`[board] ${viewers.size} watched views recomputed in ${Date.now() - started} ms`);
      }
    } while (again && !closed);
  };

  const nextTick = () => {
    tick++;
    // Views nobody watches are dropped rather than kept fresh; the next request computes them.
    for (const key of cache.keys()) if (!viewers.has(key)) cache.delete(key);
    if (round) {
      again = true;
      return;
    }
    round = runRound()
      .catch((err: unknown) => console.error('[board] recompute failed:', err instanceof Error ? err.message : err))
      .finally(() => {
        round = null;
      });
  };

  // Every board number is read from the KPI ledger: a view recomputed on the flush would show
  // the events a pass of the ledger worker later, so the boards follow the worker instead.
  const unsubscribeLedger = await o.bus.subscribe('ledger', (applied) => {
    if (!applied.types || applied.types.some((type) => STOCK_AGEING_EVENT_TYPES.includes(type))) stockVersion++;
    freshnessMoves++;
    freshness = freshness && applied.newest ? movedOn(freshness, applied.newest) : undefined;
    nextTick();
  });
  // The figures stay as they are; what changes is what the board says of them, so the watched
  // views are pushed again as computed (a rebuild would keep a round waiting for minutes).
  const unsubscribeLag = await o.bus.subscribe('ledger-lag', (lag) => {
    if (sameLag(lag.behind, behind)) return;
    behind = lag.behind;
    for (const viewKey of viewers.keys()) {
      const cached = cache.get(viewKey);
      if (cached) for (const listener of listeners) listener(told(cached.snapshot));
    }
  });
  const unsubscribeTargets = await o.bus.subscribe('targets', () => {
    inForce = null;
    nextTick();
  });
  const timer = setInterval(() => {
    stockVersion++;
    freshness = undefined;
    nextTick();
  }, o.refreshEveryMs ?? 30_000);
  timer.unref();

  return {
    async current(view) {
      const viewKey = boardViewQuery(view);
      const cached = cache.get(viewKey);
      if (cached && cached.tick === tick) return told(cached.snapshot);
      return told(await compute(viewKey, tick));
    },
    watch(viewKey) {
      const canonical = boardViewQuery(parseBoardView(new URLSearchParams(viewKey)));
      viewers.set(canonical, (viewers.get(canonical) ?? 0) + 1);
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        const left = (viewers.get(canonical) ?? 1) - 1;
        if (left > 0) viewers.set(canonical, left);
        else viewers.delete(canonical);
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watched() {
      return new Map(viewers);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      heldReads?.close();
      await unsubscribeLedger();
      await unsubscribeLag();
      await unsubscribeTargets();
      await round;
    },
  };
}

function sameLag(a: LedgerLag['behind'], b: LedgerLag['behind']): boolean {
  return a === b || (a !== null && b !== null && a.reason === b.reason && a.since === b.since);
}

/** Freshness after a pass: the later of what was kept and the pass's newest event (ISO strings compare as times). */
function movedOn(kept: DataFreshness, newest: { occurredAt: string; receivedAt: string }): DataFreshness {
  const later = (a: string | null, b: string) => (a !== null && a > b ? a : b);
  return { lastEventAt: later(kept.lastEventAt, newest.occurredAt), lastFlushAt: later(kept.lastFlushAt, newest.receivedAt) };
}

export const liveBoardsSlot = runtimeSlot<LiveBoards>('live-boards');
