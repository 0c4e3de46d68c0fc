import { z } from 'zod';
import type { Analytics, QueryPriority } from '@/analytics/clickhouse';
import type { RecentIds } from './recent-ids';
import { drop, ok, type StepResult } from './step-result';

/** Where an id may already be known without asking the engine. */
export interface KnownIds {
  /** Ids earlier in the same submission. */
  submission: ReadonlySet<string>;
  /** Ids queued in a batch that has not been written yet. */
  queued: { has(id: string): boolean };
  recent: RecentIds;
}

/** The in-memory half of dedupe: the same id again (same request, a queued batch, or just stored) is one event. */
export function dedupeStep(id: string, known: KnownIds): StepResult<string> {
  if (known.submission.has(id)) return drop('duplicate id within the submission');
  if (known.queued.has(id)) return drop('duplicate of an event waiting to be stored');
  if (known.recent.has(id)) return drop('duplicate of a recently stored event');
  return ok(id);
}

const storedIdSchema = z.object({ id: z.string() });
const LOOKUP_CHUNK = 10_000;

/**
 * The durable half: which of these ids `event_ids` already holds, by primary key. It makes the
 * same id count once days later and after a restart, when the in-memory set has forgotten it.
 */
export async function findStoredIds(analytics: Analytics, ids: readonly string[], priority: QueryPriority): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let start = 0; start < ids.length; start += LOOKUP_CHUNK) {
    const rows = await analytics.query({
      name: 'ingest.find-stored-ids',
      sql: 'SELECT DISTINCT id FROM event_ids WHERE id IN {ids:Array(String)}',
      params: { ids: ids.slice(start, start + LOOKUP_CHUNK) },
      schema: storedIdSchema,
      priority,
    });
    for (const row of rows) stored.add(row.id);
  }
  return stored;
}
