import { z } from 'zod';
import { exceptionItemSchema, exceptionQueues, type ExceptionQueue } from './exception-item';

/** Items per queue: unresolved ones, under the view's filters when a list answers them. */
export const queueCountsSchema = z.record(z.enum(exceptionQueues), z.number()) as z.ZodType<Record<ExceptionQueue, number>>;

/** The values the filter bar offers for a queue: those its unresolved items carry. */
export const exceptionFacetsSchema = z.object({
  warehouses: z.array(z.string()),
  channels: z.array(z.string()),
  assignees: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type ExceptionFacets = z.infer<typeof exceptionFacetsSchema>;

/**
 * GET /api/exceptions: one page of the view in its order; `nextCursor` asks for the page after
 * it. The first page (no cursor) also carries the tab counts under the view's filters and the
 * filter bar's values, so a queue opens with one request.
 */
export const exceptionPageSchema = z.object({
  items: z.array(exceptionItemSchema),
  nextCursor: z.string().nullable(),
  counts: queueCountsSchema.optional(),
  facets: exceptionFacetsSchema.optional(),
});
export type ExceptionPage = z.infer<typeof exceptionPageSchema>;

/**
 * What the engine publishes after each reconciliation and the web pushes to every open
 * `/exceptions` page: items opened or changed, ids that left the unresolved set, and the
 * unresolved items per queue (no filters) after the change.
 */
export const exceptionsChangeSchema = z.object({
  upserted: z.array(exceptionItemSchema),
  resolvedIds: z.array(z.string()),
  counts: queueCountsSchema,
});
export type ExceptionsChange = z.infer<typeof exceptionsChangeSchema>;
