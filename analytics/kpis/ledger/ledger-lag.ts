import type { LedgerLag, LiveBus } from '@/lib/bus/live-bus';
import { fromChDateTime } from '../../ch-time';

/** An event waiting longer than this means the ledger is behind, not merely between two passes. */
const BEHIND_AFTER_MS = 10_000;
/** How often the worker looks, and tells again while the lag lasts. */
const CHECK_EVERY_MS = 5_000;

export interface LagReports {
  /** A rebuild started (its start time), or ended (null). */
  rebuilding(since: Date | null): void;
  /** Looks now, and tells the boards if the ledger fell behind or caught up (after a pass). */
  check(): void;
  stop(): void;
}

type Behind = NonNullable<LedgerLag['behind']>;

/**
 * Tells the boards when the ledger leaves stored events out of their figures for longer than a
 * pass takes: while families are rebuilt from the stored events, or while a backlog is applied.
 * `oldestWaiting` is the receipt time (`YYYY-MM-DD HH:MM:SS.mmm` UTC) of the oldest event
 * handed to the worker and not yet applied, or null.
 */
export function reportLedgerLag(o: {
  bus: LiveBus;
  oldestWaiting: () => string | null;
  now?: () => Date;
  behindAfterMs?: number;
  everyMs?: number;
}): LagReports {
  const now = o.now ?? (() => new Date());
  const behindAfterMs = o.behindAfterMs ?? BEHIND_AFTER_MS;
  let rebuildingSince: string | null = null;
  let told: Behind | null = null;

  const behindNow = (): Behind | null => {
    if (rebuildingSince) return { reason: 'rebuilding', since: rebuildingSince };
    const oldest = o.oldestWaiting();
    if (oldest === null) return null;
    const since = fromChDateTime(oldest);
    return now().getTime() - Date.parse(since) > behindAfterMs ? { reason: 'catching-up', since } : null;
  };

  /** `again`: tell it even if nothing changed (the periodic reminder while behind). */
  const tell = (again: boolean) => {
    const behind = behindNow();
    const changed = (behind?.reason ?? null) !== (told?.reason ?? null);
    told = behind;
    if (!changed && !(again && behind)) return;
    o.bus.publish('ledger-lag', { at: now().toISOString(), behind }).catch((err: unknown) => {
      console.error('[kpi-ledger] lag report failed:', err instanceof Error ? err.message : err);
    });
  };

  const timer = setInterval(() => tell(true), o.everyMs ?? CHECK_EVERY_MS);
  timer.unref();

  return {
    rebuilding(since) {
      rebuildingSince = since ? since.toISOString() : null;
      tell(false);
    },
    check: () => tell(false),
    stop() {
      clearInterval(timer);
    },
  };
}
