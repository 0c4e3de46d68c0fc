import type { LiveBus } from '@/lib/bus/live-bus';
import { runtimeSlot } from '@/lib/runtime-slot';
import type { Analytics } from '../clickhouse';
import type { BoardSnapshot } from './board-snapshot';
import { computeBoard } from './compute-board';

export interface LiveBoard {
  /** The latest snapshot; computes one if none exists yet. */
  current(): Promise<BoardSnapshot>;
  /** Called with every new snapshot, once per recompute, whatever the number of viewers. */
  onChange(listener: (snapshot: BoardSnapshot) => void): () => void;
  close(): Promise<void>;
}

/**
 * Computes the board once per flush tick and shares it with every viewer: chDB runs parameterised
 * queries one at a time, so per-viewer queries would queue behind each other. Flushes that land
 * while a computation runs coalesce into one more computation. A slow periodic refresh keeps
 * "today" and the freshness figures honest when no events arrive.
 */
export async function createLiveBoard(o: {
  analytics: Analytics;
  bus: LiveBus;
  refreshEveryMs?: number;
  now?: () => Date;
}): Promise<LiveBoard> {
  const now = o.now ?? (() => new Date());
  const listeners = new Set<(snapshot: BoardSnapshot) => void>();
  let latest: BoardSnapshot | null = null;
  let running: Promise<BoardSnapshot> | null = null;
  let dirty = false;
  let closed = false;

  const recompute = (): Promise<BoardSnapshot> => {
    if (running) {
      dirty = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          dirty = false;
          latest = await computeBoard(o.analytics, now());
          for (const listener of listeners) listener(latest);
        } while (dirty && !closed);
        return latest;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const recomputeLogged = () => {
    recompute().catch((err: unknown) => console.error('[board] recompute failed:', err instanceof Error ? err.message : err));
  };

  const unsubscribe = await o.bus.subscribe('flush', recomputeLogged);
  const timer = setInterval(recomputeLogged, o.refreshEveryMs ?? 30_000);
  timer.unref();

  return {
    async current() {
      return latest ?? recompute();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await unsubscribe();
      await running?.catch(() => undefined);
    },
  };
}

export const liveBoardSlot = runtimeSlot<LiveBoard>('live-board');
