import { z } from 'zod';
import { exceptionItemSchema, exceptionQueues, type ExceptionQueue } from './exception-item';

/** Open (not resolved) items per queue. */
export const queueCountsSchema = z.record(z.enum(exceptionQueues), z.number()) as z.ZodType<Record<ExceptionQueue, number>>;

/** GET /api/exceptions: the unresolved items matching the filters, and every queue's count. */
export const exceptionListSchema = z.object({ items: z.array(exceptionItemSchema), counts: queueCountsSchema });
export type ExceptionList = z.infer<typeof exceptionListSchema>;

/**
 * What the engine publishes after each reconciliation and the web pushes to every open
 * `/exceptions` page: items opened or changed, ids that left the unresolved set, fresh counts.
 */
export const exceptionsChangeSchema = z.object({
  upserted: z.array(exceptionItemSchema),
  resolvedIds: z.array(z.string()),
  counts: queueCountsSchema,
});
export type ExceptionsChange = z.infer<typeof exceptionsChangeSchema>;

/** Folds one pushed change into a cached queue: changed items replace theirs, new ones join, gone ones leave. */
export function applyChange(list: ExceptionList, queue: ExceptionQueue, change: ExceptionsChange): ExceptionList {
  const gone = new Set(change.resolvedIds);
  const byId = new Map(list.items.map((item) => [item.id, item]));
  for (const id of gone) byId.delete(id);
  for (const item of change.upserted) {
    if (item.queue === queue && item.status !== 'resolved') byId.set(item.id, item);
    else byId.delete(item.id);
  }
  return { items: [...byId.values()], counts: change.counts };
}
