import type { LiveBus } from '@/lib/bus/live-bus';
import { fromChDateTime, toChDateTime } from '../../ch-time';
import type { Analytics } from '../../clickhouse';
import type { KpiLedger } from './kpi-ledger';
import { reportLedgerLag } from './ledger-lag';
import { eventsSince, readWatermark, saveWatermark, type ReceivedEventRow } from './ledger-progress';

/**
 * Keeps the KPI ledger off the ingest acknowledgement path: the writer hands it each stored batch
 * and moves on; the worker applies everything handed to it since its last pass in one pass (so a
 * busy writer's many batches cost one diff per family), then announces `ledger`, which is what
 * the live boards recompute on. A failed pass is retried with everything that arrived meanwhile;
 * a restart re-applies what was received after the saved watermark. While it rebuilds or works
 * through a backlog it says so (`ledger-lag`), so the boards can tell that their figures trail.
 * One worker per ingest process.
 */
export interface LedgerWorker {
  /** Events now stored; the worker brings their entities into the ledger soon. */
  stored(rows: readonly ReceivedEventRow[]): void;
  /** Resolves once everything handed over so far is in the ledger (for tests and shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
const SLOW_PASS_MS = 1_000;
/**
 * Progress is saved at most this often: only a restart reads it (and re-checks minutes before it
 * anyway), while a save per pass is one more statement and one more part for every event stream.
 */
const SAVE_PROGRESS_EVERY_MS = 5_000;

export function startLedgerWorker(o: {
  analytics: Analytics;
  ledger: KpiLedger;
  bus: LiveBus;
  retryMs?: number;
}): LedgerWorker {
  const firstRetryMs = o.retryMs ?? FIRST_RETRY_MS;
  let pending: ReceivedEventRow[] = [];
  /** The pass under way's events. */
  let applying: readonly ReceivedEventRow[] = [];
  let running: Promise<void> | null = null;
  let closing = false;
  let wake: (() => void) | null = null;
  const waiters: (() => void)[] = [];
  let unsaved: string | null = null;
  let lastSaved = 0;
  let saveTimer: NodeJS.Timeout | null = null;

  const saveProgress = async (): Promise<void> => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    const through = unsaved;
    if (through === null) return;
    unsaved = null;
    lastSaved = Date.now();
    await saveWatermark(o.analytics, through).catch((err: unknown) => {
      // Only a restart reads it, and then it re-checks a little more than it needed.
      console.error('[kpi-ledger] saving progress failed:', err instanceof Error ? err.message : err);
    });
  };
  const progressMade = async (through: string): Promise<void> => {
    unsaved = through;
    const since = Date.now() - lastSaved;
    if (since >= SAVE_PROGRESS_EVERY_MS) return saveProgress();
    saveTimer ??= setTimeout(() => void saveProgress(), SAVE_PROGRESS_EVERY_MS - since);
    saveTimer.unref();
  };

  /** Waits before a retry; close() cuts the wait short. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake?.(), ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  const lag = reportLedgerLag({
    bus: o.bus,
    oldestWaiting: () => {
      let oldest: string | null = null;
      for (const rows of [applying, pending]) for (const row of rows) if (oldest === null || row.received_at < oldest) oldest = row.received_at;
      return oldest;
    },
  });

  const recover = async (): Promise<void> => {
    for (let delay = firstRetryMs; !closing; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      try {
        const watermark = await readWatermark(o.analytics);
        const now = toChDateTime(new Date());
        // Families whose SQL changed since they were built (all of them on a first start) are
        // built again from the facts tables, which covers every event stored before now.
        const rebuilt = await o.ledger
          .ensureBuilt({ starting: () => lag.rebuilding(new Date()) })
          .finally(() => lag.rebuilding(null));
        if (watermark === null) {
          await saveWatermark(o.analytics, now);
          return;
        }
        if (rebuilt.length > 0) console.log(`[kpi-ledger] rebuilt ${rebuilt.join(', ')}`);
        const missed = await eventsSince(o.analytics, watermark);
        if (missed.length > 0)
          console.log(`[kpi-ledger] re-checking ${missed.length} events received since ${watermark}`);
        pending = [...missed, ...pending];
        return;
      } catch (err) {
        console.error(
          `[kpi-ledger] recovery failed, retrying in ${delay} ms:`,
          err instanceof Error ? err.message : err,
        );
        await pause(delay);
      }
    }
  };
  const ready = recover();

  const settleWaiters = () => {
    if (pending.length > 0 || running) return;
    for (const resolve of waiters.splice(0)) resolve();
  };

  const runPasses = async (): Promise<void> => {
    await ready;
    for (let delay = firstRetryMs; pending.length > 0;) {
      let batch: ReceivedEventRow[] = [];
      let announced = false;
      const announce = () => {
        announced = true;
        return o.bus
          .publish('ledger', {
            appliedAt: new Date().toISOString(),
            events: batch.length,
            types: [...new Set(batch.map((row) => row.type))],
            newest: {
              occurredAt: fromChDateTime(latest(batch.map((row) => row.occurred_at))),
              receivedAt: fromChDateTime(latest(batch.map((row) => row.received_at))),
            },
          })
          .catch((err: unknown) => {
            console.error('[kpi-ledger] announcement failed:', err instanceof Error ? err.message : err);
          });
      };
      const started = Date.now();
      try {
        // Taken when the pass's turn comes: the writes that went ahead of it are in it too.
        await o.ledger.apply(
          () => {
            batch = pending;
            applying = batch;
            pending = [];
            return batch;
          },
          // A small pass is announced as soon as the boards hold its difference, while it is stored.
          { handedOn: () => void announce() },
        );
      } catch (err) {
        applying = [];
        pending = [...batch, ...pending];
        // Closing with work left is safe: a restart re-applies it from the watermark.
        if (closing) return;
        console.error(
          `[kpi-ledger] applying ${batch.length} events failed, retrying in ${delay} ms:`,
          err instanceof Error ? err.message : err,
        );
        await pause(delay);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
        continue;
      }
      applying = [];
      lag.check();
      delay = firstRetryMs;
      // Every open board waits on the pass: a slow one is worth a line in the log.
      if (Date.now() - started > SLOW_PASS_MS)
        console.warn(`[kpi-ledger] ${batch.length} events applied in ${Date.now() - started} ms`);
      if (!announced) await announce();
      await progressMade(watermarkAfter(batch, pending));
    }
  };

  const kick = () => {
    if (running) return;
    running = runPasses().finally(() => {
      running = null;
      if (pending.length > 0 && !closing) kick();
      else settleWaiters();
    });
  };
  void ready.then(kick);

  return {
    stored(rows) {
      if (rows.length === 0) return;
      pending.push(...rows);
      if (!closing) kick();
    },
    idle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        void ready.then(settleWaiters);
      });
    },
    async close() {
      closing = true;
      lag.stop();
      wake?.();
      await ready;
      // One last pass for what was handed over; it is not retried if it fails.
      kick();
      await running;
      await saveProgress();
      settleWaiters();
    },
  };
}

/**
 * Everything received before the oldest event still waiting is applied; with none waiting, all
 * up to the newest just applied.
 */
function watermarkAfter(applied: readonly ReceivedEventRow[], waiting: readonly ReceivedEventRow[]): string {
  const times = (waiting.length > 0 ? waiting : applied).map((row) => row.received_at);
  let pick = times[0];
  for (const time of times) if (waiting.length > 0 ? time < pick : time > pick) pick = time;
  return pick;
}

/** The latest of equally formatted date-times. */
function latest(times: readonly string[]): string {
  return times.reduce((a, b) => (b > a ? b : a));
}
