import { z } from 'zod';
import type { Analytics } from '../clickhouse';
import { chDateTimeIso } from '../ch-time';

const rowSchema = z.object({ last_event_at: chDateTimeIso.nullable(), last_flush_at: chDateTimeIso.nullable() });

/** The latest business time (occurred_at) and the latest flush (received_at) stored, as ISO strings; null when empty. */
export interface DataFreshness {
  lastEventAt: string | null;
  lastFlushAt: string | null;
}

export async function getDataFreshness(a: Analytics): Promise<DataFreshness> {
  const [row] = await a.query({
    name: 'board.data-freshness',
    sql: 'SELECT maxOrNull(last_occurred_at) AS last_event_at, maxOrNull(last_received_at) AS last_flush_at FROM event_freshness',
    schema: rowSchema,
  });
  return { lastEventAt: row?.last_event_at ?? null, lastFlushAt: row?.last_flush_at ?? null };
}
