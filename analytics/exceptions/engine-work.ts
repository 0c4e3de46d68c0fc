import type { RuleName } from '@/lib/exceptions/rule-catalogue';

/** One unit of engine work: a rule over everything, or over some orders only. */
export interface RuleJob {
  rule: RuleName;
  orderIds?: string[];
}

/**
 * Rule runs waiting their turn, merged per rule: asking again for a rule already waiting widens
 * its scope instead of queueing a second run, so a burst of flushes costs one run per rule.
 * Rules come out in the order they were first asked for.
 */
export class PendingRuleRuns {
  private readonly runs = new Map<RuleName, Set<string> | 'all'>();

  /** Asks for `rule` over `orderIds`, or over everything when they are absent. */
  add(rule: RuleName, orderIds?: Iterable<string>): void {
    const waiting = this.runs.get(rule);
    if (waiting === 'all') return;
    if (!orderIds) {
      this.runs.set(rule, 'all');
      return;
    }
    const ids = waiting ?? new Set<string>();
    for (const id of orderIds) ids.add(id);
    this.runs.set(rule, ids);
  }

  /** The next run of a rule that may run now, removed from the queue; a run over no orders at all is dropped. */
  take(mayRun: (rule: RuleName) => boolean = () => true): RuleJob | null {
    for (const [rule, scope] of this.runs) {
      if (!mayRun(rule)) continue;
      this.runs.delete(rule);
      if (scope === 'all') return { rule };
      if (scope.size > 0) return { rule, orderIds: [...scope] };
    }
    return null;
  }

  /** The rules waiting. */
  rules(): RuleName[] {
    return [...this.runs.keys()];
  }
}
