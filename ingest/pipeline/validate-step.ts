import { validateEvent } from '@/lib/events';
import type { OpsEvent } from '@/lib/events';
import { deadLetter, ok, type StepResult } from './step-result';

export interface ValidEvent {
  event: OpsEvent;
  attrs: Record<string, unknown> | null;
}

/** Contract v1 of EVENTS.md; the dead-letter reason is the message the producer gets back. */
export function validateStep(candidate: Record<string, unknown>): StepResult<ValidEvent> {
  const result = validateEvent(candidate);
  return result.ok ? ok({ event: result.event, attrs: result.attrs }) : deadLetter(result.error);
}
