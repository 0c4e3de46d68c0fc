import type { Kysely } from 'kysely';
import type { ExceptionItem, ExceptionQueue } from './exception-item';
import { transitionExceptions, type Actor, type RefusalReason, type TransitionRequest } from './exception-transitions';
import type { ExceptionView } from './exception-view';
import { matchingIds } from './list-exceptions';

/** The most items one "select all matching" acts on; a larger selection is narrowed by a filter first. */
export const MAX_MATCHING = 20_000;

/** Items left as they were, counted by why (and, when someone else holds them, by whom). */
export interface SkippedGroup {
  reason: RefusalReason;
  assigneeName: string | null;
  count: number;
}

export interface MatchingOutcome {
  matched: number;
  done: ExceptionItem[];
  skipped: SkippedGroup[];
}

export class TooManyMatchingError extends Error {
  constructor() {
    super(`More than ${MAX_MATCHING.toLocaleString('en')} items match; narrow the view with a filter and try again.`);
    this.name = 'TooManyMatchingError';
  }
}

/**
 * Claims, snoozes or resolves every item the view matches now, loaded in a browser or not. Each
 * item goes through the same conditional update and history as a chosen one, so an item someone
 * else claimed in the meantime is skipped, not taken.
 */
export async function transitionMatching(
  db: Kysely<object>,
  view: ExceptionView & { queue: ExceptionQueue },
  actor: Actor,
  request: TransitionRequest,
  note: string | null = null,
  now: Date = new Date(),
): Promise<MatchingOutcome> {
  const ids = await matchingIds(db, view, MAX_MATCHING + 1);
  if (ids.length > MAX_MATCHING) throw new TooManyMatchingError();
  const { done, refused } = await transitionExceptions(db, ids, actor, request, note, now);
  const groups = new Map<string, SkippedGroup>();
  for (const r of refused) {
    const key = `${r.reason}\u0000${r.assigneeName ?? ''}`;
    const group = groups.get(key) ?? { reason: r.reason, assigneeName: r.assigneeName, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  return { matched: ids.length, done, skipped: [...groups.values()].sort((a, b) => b.count - a.count) };
}
