import { z } from 'zod';
import type { Analytics } from '../clickhouse';
import { chDateTimeIso } from '../ch-time';

const rowSchema = z.object({ events: z.number(), last_flush_at: chDateTimeIso.nullable(), dead_letters: z.number() });

export interface HealthCounts {
  /** Unique events stored, exact: the dedupe index collapsed with FINAL, never an estimate. */
  events: number;
  /** The latest received_at stored, ISO; null before the first flush. */
  lastFlushAt: string | null;
  deadLetters: number;
}

export async function getHealthCounts(a: Analytics): Promise<HealthCounts> {
  const [row] = await a.query({
    name: 'health.counts',
    // FINAL streams a merge in key order, so memory stays flat however many ids there are.
    sql: `SELECT
    (SELECT count() FROM event_ids FINAL) AS events,
    (SELECT maxOrNull(last_received_at) FROM event_freshness) AS last_flush_at,
    (SELECT count() FROM dead_letters) AS dead_letters`,
    schema: rowSchema,
  });
  return { events: row?.events ?? 0, lastFlushAt: row?.last_flush_at ?? null, deadLetters: row?.dead_letters ?? 0 };
}
