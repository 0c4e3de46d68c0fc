import type { Analytics } from '@/analytics/clickhouse';
import { ledgerFamilies } from '@/analytics/kpis/families/ledger-families';
import { createKpiLedger, type KpiLedger } from '@/analytics/kpis/ledger/kpi-ledger';
import { startLedgerWorker } from '@/analytics/kpis/ledger/ledger-worker';
import type { LiveBus } from '@/lib/bus/live-bus';
import { BatchQueue, type Batch, type Ticket } from './batch-queue';
import { IngestBusyError, IngestClosedError } from './ingest-errors';
import { dedupeStep } from './pipeline/dedupe-step';
import { toClickHouseTime, type DeadLetterRow, type EventRow } from './pipeline/event-row';
import { normaliseStep } from './pipeline/normalise-step';
import { parseStep } from './pipeline/parse-step';
import { RecentIds } from './pipeline/recent-ids';
import { validateStep } from './pipeline/validate-step';
import { writeBatch } from './write-batch';

export { IngestBusyError, IngestClosedError, IngestStoreError } from './ingest-errors';

export interface SubmitResult {
  /** Valid events, duplicates included: all of them are durably stored (once). */
  accepted: number;
  duplicates: number;
  rejected: { index: number; id: string | null; error: string }[];
}

export interface SubmitOptions {
  /** The item's text exactly as received, kept with a dead letter; defaults to its JSON. */
  payloadText?: (index: number) => string;
  /** A person is waiting on these events (an action's): they are stored at once, not after the batch delay. */
  urgent?: boolean;
}

export interface IngestService {
  /**
   * Resolves once the accepted events (and the dead letters) are durably stored; the KPI ledger
   * follows them a moment later, off this path.
   */
  submit(events: readonly unknown[], origin: string, options?: SubmitOptions): Promise<SubmitResult>;
  /** Resolves once everything submitted so far is stored and in the KPI ledger. */
  flush(): Promise<void>;
  /** Stops taking events, flushes everything queued and lets the ledger worker finish. */
  close(): Promise<void>;
  stats(): { queuedRows: number; lastFlushAt: string | null };
}

/** Events validated between two turns of the event loop. */
const SLICE = 500;
const DEFAULTS = {
  maxBatchRows: 5_000,
  maxWriteRows: 50_000,
  // Short: writes run one at a time and batches sealed meanwhile go out together, so a busy
  // stream batches itself; a quiet one should not wait for company that is not coming.
  maxBatchDelayMs: 25,
  maxQueuedRows: 100_000,
  recentIds: 200_000,
};

export function createIngestService(o: {
  analytics: Analytics;
  bus: LiveBus;
  maxBatchRows?: number;
  maxBatchDelayMs?: number;
  maxQueuedRows?: number;
  recentIds?: number;
  /** The KPI ledger this writer's worker keeps in step; the catalogue's families by default, null for none. */
  ledger?: KpiLedger | null;
}): IngestService {
  const ledger = o.ledger === undefined ? createKpiLedger(o.analytics, ledgerFamilies) : o.ledger;
  const worker = ledger ? startLedgerWorker({ analytics: o.analytics, ledger, bus: o.bus }) : null;
  const maxQueuedRows = o.maxQueuedRows ?? DEFAULTS.maxQueuedRows;
  const recent = new RecentIds(o.recentIds ?? DEFAULTS.recentIds);
  let lastFlushAt: string | null = null;
  let closed = false;
  const queue = new BatchQueue({
    maxBatchRows: o.maxBatchRows ?? DEFAULTS.maxBatchRows,
    maxBatchDelayMs: o.maxBatchDelayMs ?? DEFAULTS.maxBatchDelayMs,
    maxWriteRows: Math.max(o.maxBatchRows ?? DEFAULTS.maxBatchRows, DEFAULTS.maxWriteRows),
    write: (batch) =>
      writeBatch(batch, {
        analytics: o.analytics,
        bus: o.bus,
        recent,
        onStored: (rows, a) => {
          lastFlushAt = a.flushedAt;
          worker?.stored(rows);
        },
      }),
  });
  const queued = { has: (id: string) => queue.batchHolding(id) !== undefined };

  const busy = () => new IngestBusyError(Math.max(1, Math.ceil(queue.queuedRows / 20_000)));

  return {
    async submit(events, origin, options) {
      if (closed) throw new IngestClosedError();
      if (queue.queuedRows >= maxQueuedRows) throw busy();
      const receivedAt = toClickHouseTime(new Date().toISOString());
      const rows: EventRow[] = [];
      const deadLetters: DeadLetterRow[] = [];
      const rejected: SubmitResult['rejected'] = [];
      const awaited = new Set<Batch>();
      const submission = new Set<string>();
      let duplicates = 0;
      let accepted = 0;

      const reject = (index: number, candidate: Record<string, unknown> | null, reason: string) => {
        const id = typeof candidate?.id === 'string' ? candidate.id : null;
        const declared = candidate?.source;
        rejected.push({ index, id, error: reason });
        deadLetters.push({
          received_at: receivedAt,
          source: typeof declared === 'string' && declared.length > 0 && declared.length <= 64 ? declared : origin,
          event_id: id ?? '',
          event_type: typeof candidate?.type === 'string' ? candidate.type.slice(0, 128) : '',
          reason,
          payload: options?.payloadText ? options.payloadText(index) : payloadOf(events[index]),
        });
      };

      const ticket: Ticket = { duplicates: 0 };
      const take = (item: unknown, index: number) => {
        const parsed = parseStep(item);
        if (parsed.kind !== 'ok') return reject(index, null, parsed.kind === 'dead-letter' ? parsed.reason : 'dropped');
        const valid = validateStep(parsed.value);
        if (valid.kind !== 'ok')
          return reject(index, parsed.value, valid.kind === 'dead-letter' ? valid.reason : 'dropped');
        const id = valid.value.event.id;
        if (dedupeStep(id, { submission, queued, recent }).kind !== 'ok') {
          duplicates++;
          const holding = queue.batchHolding(id);
          if (holding) awaited.add(holding);
          return;
        }
        submission.add(id);
        rows.push(normaliseStep(valid.value, receivedAt));
      };

      // In slices, queued as they are ready: the event loop stays free to start the next insert
      // while a large request is still being validated, so the engine and validation overlap.
      for (let start = 0; start < events.length; start += SLICE) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        const end = Math.min(events.length, start + SLICE);
        for (let index = start; index < end; index++) take(events[index], index);
        if (rows.length > 0 || deadLetters.length > 0) {
          for (const batch of queue.add(rows, ticket, deadLetters)) awaited.add(batch);
          accepted += rows.length;
          rows.length = 0;
          deadLetters.length = 0;
        }
      }
      if (options?.urgent) queue.expedite(awaited);
      await Promise.all([...awaited].map((batch) => batch.done));
      return { accepted: accepted + duplicates, duplicates: duplicates + ticket.duplicates, rejected };
    },

    async flush() {
      await queue.flush();
      await worker?.idle();
    },

    async close() {
      closed = true;
      await queue.flush();
      await worker?.close();
    },

    stats: () => ({ queuedRows: queue.queuedRows, lastFlushAt }),
  };
}

function payloadOf(item: unknown): string {
  if (typeof item === 'string') return item;
  try {
    return JSON.stringify(item) ?? String(item);
  } catch {
    return String(item);
  }
}
