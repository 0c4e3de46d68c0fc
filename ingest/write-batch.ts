import { fromChDateTime } from '@/analytics/ch-time';
import type { Analytics } from '@/analytics/clickhouse';
import { MAX_ANNOUNCED_ORDERS, type FlushAnnouncement, type LiveBus } from '@/lib/bus/live-bus';
import type { Batch } from './batch-queue';
import { IngestStoreError } from './ingest-errors';
import { batchToken } from './pipeline/batch-token';
import { findStoredIds } from './pipeline/dedupe-step';
import type { EventRow } from './pipeline/event-row';
import type { RecentIds } from './pipeline/recent-ids';

export interface BatchWriterDeps {
  analytics: Analytics;
  bus: LiveBus;
  recent: RecentIds;
  /** Called with the stored rows (and the announcement) before the flush is announced. */
  onStored(rows: readonly EventRow[], announcement: FlushAnnouncement): void;
}

/**
 * Stores one batch: drops ids `event_ids` already has, inserts the rest with a token derived from
 * them (the gateway retries with the same token), then the dead letters, then announces the flush.
 * The KPI ledger is not kept here: the caller hands the stored rows to the ledger worker.
 * Throws IngestStoreError when the rows could not be stored; then nothing of it counts as accepted.
 */
export async function writeBatch(batch: Batch, deps: BatchWriterDeps): Promise<void> {
  let fresh: EventRow[];
  try {
    const priority = batch.urgent ? 'urgent' : 'write';
    // The duplicate check and the insert take one turn on chDB: the write waits for it once, not twice.
    fresh = await deps.analytics.inOneTurn(async (turn) => {
      const rows = await dropStoredIds(batch, turn);
      if (rows.length > 0) {
        await turn.insert({
          name: 'ingest.insert-events',
          table: 'events',
          rows,
          deduplicationToken: batchToken('events', rows.map((row) => row.id)),
        });
      }
      return rows;
    }, priority);
    if (batch.deadLetters.length > 0) {
      const keys = batch.deadLetters.map((letter) => `${letter.received_at}\t${letter.payload}`);
      await deps.analytics.insert({
        priority,
        name: 'ingest.insert-dead-letters',
        table: 'dead_letters',
        rows: batch.deadLetters,
        deduplicationToken: batchToken('dead_letters', keys),
      });
    }
  } catch (err) {
    throw new IngestStoreError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  for (const row of fresh) deps.recent.add(row.id);
  const announcement = announce(fresh, batch.deadLetters.length);
  deps.onStored(fresh, announcement);
  if (fresh.length > 0 || batch.deadLetters.length > 0) {
    // The rows are durable whatever the bus does; a lost announcement only delays the board.
    await deps.bus.publish('flush', announcement).catch((err: unknown) => {
      console.error(`[ingest] flush announcement failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
}

async function dropStoredIds(batch: Batch, analytics: Analytics): Promise<EventRow[]> {
  if (batch.rows.length === 0) return [];
  const stored = await findStoredIds(
    analytics,
    batch.rows.map((row) => row.id),
    batch.urgent ? 'urgent' : 'write',
  );
  if (stored.size === 0) return batch.rows;
  const fresh: EventRow[] = [];
  batch.rows.forEach((row, index) => {
    if (stored.has(row.id)) batch.owners[index].duplicates++;
    else fresh.push(row);
  });
  return fresh;
}

function announce(rows: readonly EventRow[], deadLetters: number): FlushAnnouncement {
  let latest = '';
  const types = new Set<string>();
  const orderIds = new Set<string>();
  for (const row of rows) {
    if (row.occurred_at > latest) latest = row.occurred_at;
    types.add(row.type);
    if (row.order_id) orderIds.add(row.order_id);
  }
  return {
    flushedAt: new Date().toISOString(),
    events: rows.length,
    deadLetters,
    lastOccurredAt: latest ? fromChDateTime(latest) : null,
    types: [...types].sort(),
    ...(orderIds.size <= MAX_ANNOUNCED_ORDERS ? { orderIds: [...orderIds] } : {}),
  };
}
