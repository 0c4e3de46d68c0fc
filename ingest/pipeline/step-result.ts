/**
 * What a pipeline step decides about one event (PostHog's habit): carry on with a value, drop it
 * on purpose (a duplicate), or keep it aside as a dead letter with a reason a person can act on.
 */
export type StepResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'dead-letter'; readonly reason: string };

export function ok<T>(value: T): StepResult<T> {
  return { kind: 'ok', value };
}

export function drop<T>(reason: string): StepResult<T> {
  return { kind: 'drop', reason };
}

export function deadLetter<T>(reason: string): StepResult<T> {
  return { kind: 'dead-letter', reason };
}
