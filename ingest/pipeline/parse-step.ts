import { deadLetter, ok, type StepResult } from './step-result';

/**
 * Turns one submitted item into a candidate event object. Sources that hand over text (a Redis
 * stream entry, a replayed dead letter) pass the JSON string; everything else passes the value.
 */
export function parseStep(item: unknown): StepResult<Record<string, unknown>> {
  let value = item;
  if (typeof item === 'string') {
    try {
      value = JSON.parse(item);
    } catch (err) {
      return deadLetter(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!isRecord(value)) return deadLetter('expected an event object with id, type, occurred_at, source and data');
  return ok(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
