import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import { chDateTimeIso } from '../../ch-time';

/** The references an event can be found by; each has a bloom-filter index (migration 020). */
export const EVENT_REFERENCES = ['order_id', 'return_id', 'refund_id'] as const;
export type EventReference = (typeof EVENT_REFERENCES)[number];

/** A stored event as the drill-through pages show it: `data` is the validated payload. */
export interface StoredEvent {
  id: string;
  type: string;
  occurredAt: string;
  receivedAt: string;
  source: string;
  data: Record<string, unknown>;
}

const payload = z
  .string()
  .transform((text, ctx) => {
    try {
      const value: unknown = JSON.parse(text);
      return value;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON text' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.unknown()));

const rowSchema = z.object({
  id: z.string(),
  type: z.string(),
  occurred_at: chDateTimeIso,
  received_at: chDateTimeIso,
  source: z.string(),
  data: payload,
});

/** More than any real order, return or refund has; a runaway producer cannot flood a page. */
export const EVENTS_PER_LOOKUP = 2_000;

/**
 * Every stored event whose `ref` is one of `ids`, in business-time order (then arrival), each id
 * once even if a multi-process ingest stored it twice. Reads only the granules the bloom filter
 * on `ref` lets through, never the whole table.
 */
export async function getEventsByReference(
  a: Analytics,
  ref: EventReference,
  ids: readonly string[],
): Promise<StoredEvent[]> {
  const wanted = [...new Set(ids.filter((id) => id !== ''))];
  if (wanted.length === 0) return [];
  // `ref` comes from the allow-list above, never from a request.
  if (!EVENT_REFERENCES.includes(ref)) throw new Error(`"${String(ref)}" is not an event reference`);
  const rows = await a.query({
    name: `drill-through.events-by-${ref}`,
    sql: `SELECT id, type, occurred_at, received_at, source, data
FROM events
WHERE ${ref} IN {ids:Array(String)}
ORDER BY occurred_at, received_at, id
LIMIT 1 BY id
LIMIT {limit:UInt32}`,
    params: { ids: wanted, limit: EVENTS_PER_LOOKUP },
    schema: rowSchema,
  });
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    occurredAt: r.occurred_at,
    receivedAt: r.received_at,
    source: r.source,
    data: r.data,
  }));
}
