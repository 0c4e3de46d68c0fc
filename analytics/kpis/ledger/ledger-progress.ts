import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import type { LedgerEventRow } from './ledger-family';

/** A stored event as the ledger worker needs it: what families read, and when it was received. */
export interface ReceivedEventRow extends LedgerEventRow {
  /** `YYYY-MM-DD HH:MM:SS.mmm` UTC, as in `events`. */
  received_at: string;
}

const WORKER = 'ingest';
/**
 * Events are stamped on receipt but reach the worker only once their batch is stored, so an event
 * older than the watermark may still arrive: a restart re-checks this much before it. Re-checking
 * an entity that is up to date adds nothing, so the margin costs time, never correctness.
 */
const RECOVERY_MARGIN_MS = 5 * 60_000;

const progressSchema = z.object({ applied_through: z.string() });
const eventSchema = z.object({
  type: z.string(),
  order_id: z.string(),
  occurred: z.string(),
  received: z.string(),
  data: z.string(),
});

/** Every event received before the returned time is in the ledger; null when nothing was recorded yet. */
export async function readWatermark(analytics: Analytics): Promise<string | null> {
  const rows = await analytics.query({
    name: 'kpi-ledger.read-progress',
    sql: `SELECT toString(argMax(applied_through, saved_at)) AS applied_through
FROM kpi_ledger_progress WHERE worker = {worker:String} HAVING count() > 0`,
    params: { worker: WORKER },
    schema: progressSchema,
  });
  return rows[0]?.applied_through ?? null;
}

export async function saveWatermark(analytics: Analytics, appliedThrough: string): Promise<void> {
  await analytics.insert({
    name: 'kpi-ledger.save-progress',
    // Only a restart reads it: it waits for the writes and the boards.
    priority: 'background',
    table: 'kpi_ledger_progress',
    rows: [{ worker: WORKER, applied_through: appliedThrough, saved_at: new Date().toISOString() }],
  });
}

/** The stored events a worker that stopped at `watermark` may not have applied. */
export async function eventsSince(analytics: Analytics, watermark: string): Promise<ReceivedEventRow[]> {
  const rows = await analytics.query({
    name: 'kpi-ledger.recover',
    // Aliases of their own: a `received_at` alias would shadow the column in WHERE.
    sql: `SELECT type, order_id, toString(occurred_at) AS occurred, toString(received_at) AS received, data
FROM events
WHERE received_at >= parseDateTime64BestEffort({watermark:String}, 3, 'UTC') - toIntervalMillisecond({margin:UInt32})`,
    params: { watermark, margin: RECOVERY_MARGIN_MS },
    schema: eventSchema,
    timeoutMs: 10 * 60_000,
  });
  return rows.map((row) => ({
    type: row.type,
    order_id: row.order_id,
    occurred_at: row.occurred,
    received_at: row.received,
    data: JSON.parse(row.data) as object,
  }));
}
