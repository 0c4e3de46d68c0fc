import { z } from 'zod';
import { instant, ruleOrRequired } from './fields';

/** The fields every event carries, whatever its type (EVENTS.md, "Envelope"). */
export const ENVELOPE_FIELDS = ['id', 'type', 'occurred_at', 'source', 'data'] as const;

const eventId = z
  .string({ error: ruleOrRequired('expected a string of 1-128 characters (the producer-unique event id)') })
  .min(1, { error: 'expected a string of 1-128 characters (the producer-unique event id)' })
  .max(128, { error: 'expected a string of 1-128 characters (the producer-unique event id)' });

const eventSource = z
  .string({ error: ruleOrRequired('expected a string of 1-64 characters naming the producer, e.g. "wms-east"') })
  .min(1, { error: 'expected a string of 1-64 characters naming the producer, e.g. "wms-east"' })
  .max(64, { error: 'expected a string of 1-64 characters naming the producer, e.g. "wms-east"' });

/**
 * One event type's full schema. `data` strips fields it does not know: the validate step keeps
 * them apart as `attrs`, so a producer's extra field is stored, never rejected.
 */
export function defineEvent<const T extends string, S extends z.ZodRawShape>(type: T, data: S) {
  return z.object({
    id: eventId,
    type: z.literal(type),
    occurred_at: instant(),
    source: eventSource,
    data: z.object(data, { error: ruleOrRequired("expected an object with the event's fields") }),
  });
}
