import type { Kysely } from 'kysely';
import type { FlushAnnouncement, LiveBus, RecheckRequest } from '@/lib/bus/live-bus';
import type { ExceptionItem } from '@/lib/exceptions/exception-item';
import { countOpenByQueue, refreshExceptionStatistics } from '@/lib/exceptions/exception-queries';
import { wakeSnoozedExceptions } from '@/lib/exceptions/exception-transitions';
import { reconcileConditions } from '@/lib/exceptions/reconcile-conditions';
import { escalateSlaBreaches } from '@/lib/exceptions/sla-breaches';
import { isRuleName, type RuleName } from '@/lib/exceptions/rule-catalogue';
import { readRuleSettings } from '@/lib/exceptions/rule-settings-store';
import type { ExceptionTables } from '@/lib/exceptions/workflow-schema';
import { runtimeSlot } from '@/lib/runtime-slot';
import type { Analytics } from '../clickhouse';
import { withPriority } from '../with-priority';
import { PendingRuleRuns, type RuleJob } from './engine-work';
import type { ExceptionRule } from './exception-rule';
import { exceptionRules } from './exception-rules';

export interface ExceptionEngine {
  /**
   * Runs every rule over everything, wakes due snoozes and escalates SLA breaches; resolves once
   * done (during an import of history, the rules are left to the sweep that ends it).
   */
  sweep(): Promise<void>;
  /** Re-checks what a person just acted on ahead of all routine work; resolves once the engine is idle. */
  recheck(request: RecheckRequest): Promise<void>;
  /**
   * Past events are being imported (a sandbox backfill): until the returned release, the rules
   * judge nothing, since an order in flight within the history is late only against today's
   * clock, not at its own time. The release sweeps once, over what holds when the history is in.
   */
  holdDuringHistory(): () => Promise<void>;
  close(): Promise<void>;
}

/** Items per bus message: a first sweep may open thousands, and one huge message helps nobody. */
const DELTA_CHUNK = 500;
/** How long an acted-on order's flushes stay urgent: a core may send its events after answering. */
const WATCH_MS = 120_000;
/** Items opened or resolved after which the store's statistics are refreshed (and once at start). */
const ANALYZE_AFTER = 1_000;
/**
 * A rule's routine runs start at least this far apart: under a steady stream of posts (two a
 * second in bench:live) each run takes in the orders of the flushes since the last, instead of
 * one statement per rule per flush on an engine the live boards share. An explicit sweep and the
 * urgent re-checks of what a person acted on do not wait.
 */
const DEFAULT_RULE_GAP_MS = 2_000;

/**
 * Runs the exception rules and reconciles what they report with the workflow store. A flush runs
 * the rules its event types can affect, for only the orders it touched when the rule allows; the
 * schedule runs the time-based rules, wakes snoozes and escalates SLA breaches every tick, and every rule over everything
 * every `sweepEveryTicks` ticks (which also repairs anything a lost announcement missed).
 *
 * Work is serial, one rule run at a time, and coalesced per rule; a rule's routine runs start at
 * least `ruleGapMs` apart, each taking in the flushes since the last. A recheck (a person acted on an
 * order, a refund…) is urgent: it runs at the next boundary between runs, and its queries go ahead
 * of the board's on the embedded engine. Each run publishes its own changes as soon as they are
 * stored, so the exception an action cleared leaves the queues without waiting for the rest.
 */
export async function startExceptionEngine(o: {
  analytics: Analytics;
  db: Kysely<object>;
  bus: LiveBus;
  tickMs?: number;
  sweepEveryTicks?: number;
  now?: () => Date;
  rules?: readonly ExceptionRule[];
  ruleGapMs?: number;
}): Promise<ExceptionEngine> {
  const rules = o.rules ?? exceptionRules;
  const byName = new Map(rules.map((r) => [r.name, r]));
  const now = o.now ?? (() => new Date());
  const sweepEvery = o.sweepEveryTicks ?? 4;
  const urgent = new PendingRuleRuns();
  const routine = new PendingRuleRuns();
  const watched = new Map<string, { rules: Set<RuleName>; until: number }>();
  const ruleGapMs = o.ruleGapMs ?? DEFAULT_RULE_GAP_MS;
  /** When each rule's last routine run started, and the rules a sweep asked for (they do not wait). */
  const lastRoutineRun = new Map<RuleName, number>();
  const swept = new Set<RuleName>();
  const dueAt = (rule: RuleName) => (swept.has(rule) ? 0 : (lastRoutineRun.get(rule) ?? 0) + ruleGapMs);
  let later: { timer: NodeJS.Timeout; at: number } | null = null;
  // A person waits on an urgent run; nobody on a sweep, whose statements take the gaps between
  // writes and the boards' work (or go after a second's wait): posted events go first.
  const lanes = { urgent: withPriority(o.analytics, 'urgent'), background: withPriority(o.analytics, 'background') };
  let wake = false;
  let running: Promise<void> | null = null;
  let closed = false;
  let ticks = 0;
  let changedSinceAnalyze = ANALYZE_AFTER;
  /** Imports of history under way: the rules wait for them (see holdDuringHistory). */
  let importing = 0;

  const announce = async (at: Date, items: ExceptionItem[], ids: string[]) => {
    if (items.length === 0 && ids.length === 0) return;
    changedSinceAnalyze += items.length + ids.length;
    const counts = await countOpenByQueue(o.db);
    for (let i = 0; i < Math.max(items.length, ids.length); i += DELTA_CHUNK) {
      await o.bus
        .publish('exceptions', { at: at.toISOString(), upserted: items.slice(i, i + DELTA_CHUNK), resolvedIds: ids.slice(i, i + DELTA_CHUNK), counts })
        .catch((err: unknown) => console.error('[exceptions] delta announcement failed:', err instanceof Error ? err.message : err));
    }
  };

  const run = async (job: RuleJob, lane: keyof typeof lanes) => {
    const rule = byName.get(job.rule);
    if (!rule) return;
    const settings = (await readRuleSettings(o.db))[rule.name];
    // A switched-off rule leaves its items as they are: an admin decides what to do with them.
    if (!settings.enabled) return;
    const at = now();
    const raised = await rule.evaluate(lanes[lane], { now: at, settings, orderIds: job.orderIds });
    const outcome = await reconcileConditions(o.db, { rule: rule.name, orderIds: job.orderIds }, raised, { now: at, slaMinutes: settings.slaMinutes });
    await announce(
      at,
      outcome.upserted,
      outcome.resolved.map((i) => i.id),
    );
  };

  const attempt = (what: string, step: () => Promise<void>) =>
    step().catch((err: unknown) =>
      console.error(`[exceptions] ${what} failed; it runs again on the next tick:`, err instanceof Error ? err.message : err),
    );

  const drain = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      // Yield first, so that `running` is set before the loop can finish and clear it.
      await Promise.resolve();
      try {
        while (!closed) {
          const job = urgent.take();
          if (job) {
            await attempt(job.rule, () => run(job, 'urgent'));
            continue;
          }
          if (wake) {
            wake = false;
            await attempt('snooze wake-up', wakeSnoozes);
            await attempt('SLA breach escalation', escalateBreaches);
            continue;
          }
          // Due statistics go first, busy or not: a store that has grown from a few items to
          // tens of thousands under stale ones plans the history's key checks as scans, and a
          // backfill (never idle) then spent seconds on every insert.
          if (changedSinceAnalyze >= ANALYZE_AFTER) {
            changedSinceAnalyze = 0;
            await attempt('statistics refresh', () => refreshExceptionStatistics(o.db));
            continue;
          }
          const next = importing > 0 ? null : routine.take((rule) => dueAt(rule) <= Date.now());
          if (!next) {
            wakeWhenDue();
            break;
          }
          swept.delete(next.rule);
          lastRoutineRun.set(next.rule, Date.now());
          await attempt(next.rule, () => run(next, 'background'));
        }
      } finally {
        running = null;
      }
    })();
    return running;
  };

  /** Drains again when the first rule still waiting for its gap may run. */
  const wakeWhenDue = () => {
    const waiting = routine.rules();
    if (waiting.length === 0 || closed || importing > 0) return;
    const at = Math.min(...waiting.map(dueAt));
    if (later && later.at <= at) return;
    if (later) clearTimeout(later.timer);
    const timer = setTimeout(() => {
      later = null;
      void drain();
    }, Math.max(0, at - Date.now()));
    timer.unref();
    later = { timer, at };
  };

  const wakeSnoozes = async () => {
    const at = now();
    await announce(at, await wakeSnoozedExceptions(o.db, at), []);
  };

  const escalateBreaches = async () => {
    const at = now();
    await announce(at, await escalateSlaBreaches(o.db, at), []);
  };

  const onFlush = (a: FlushAnnouncement) => {
    // What an import brings is judged by the sweep that ends it.
    if (importing > 0) return;
    const types = new Set(a.types);
    const at = Date.now();
    for (const rule of rules) {
      const triggered = rule.triggers.some((t) => types.has(t)) || (rule.name === 'dead_letters' && a.deadLetters > 0);
      if (!triggered) continue;
      if (rule.byOrder && a.orderIds) routine.add(rule.name, a.orderIds);
      else routine.add(rule.name);
    }
    for (const id of a.orderIds ?? []) {
      const watch = watched.get(id);
      if (watch && watch.until < at) watched.delete(id);
      else if (watch) for (const rule of watch.rules) urgent.add(rule, [id]);
    }
    void drain();
  };

  /**
   * The rules to re-check for an action: the exception's own at once (a person is watching it
   * leave the queue), then every other per-order rule of an acted-on order in turn with routine
   * work. The order stays watched for a while, so that its own rule runs urgently again when
   * events the action set off arrive later.
   */
  const recheck = async (r: RecheckRequest) => {
    const item = r.exceptionId
      ? await o.db.withTables<ExceptionTables>().selectFrom('exception_items').select(['rule', 'order_id']).where('id', '=', r.exceptionId).executeTakeFirst()
      : undefined;
    const own = item && isRuleName(item.rule) ? byName.get(item.rule) : undefined;
    const orderId = r.entity.type === 'order' ? r.entity.id : (item?.order_id ?? null);
    if (own) urgent.add(own.name, own.byOrder && item?.order_id ? [item.order_id] : undefined);
    if (r.entity.type === 'order') {
      for (const rule of rules) if (rule.byOrder && rule.name !== own?.name) routine.add(rule.name, [r.entity.id]);
    }
    if (own?.byOrder && orderId) watched.set(orderId, { rules: new Set([own.name]), until: Date.now() + WATCH_MS });
    await drain();
  };

  const onTick = () => {
    ticks++;
    wake = true;
    for (const rule of rules) if (rule.timed || ticks % sweepEvery === 0) routine.add(rule.name);
    for (const [id, watch] of watched) if (watch.until < Date.now()) watched.delete(id);
    void drain();
  };

  const unsubscribe = [
    await o.bus.subscribe('flush', onFlush),
    await o.bus.subscribe('recheck', (r) => {
      recheck(r).catch((err: unknown) => console.error('[exceptions] recheck failed:', err instanceof Error ? err.message : err));
    }),
  ];
  const timer = setInterval(onTick, o.tickMs ?? 15_000);
  timer.unref();

  const sweep = async () => {
    wake = true;
    for (const rule of rules) {
      routine.add(rule.name);
      swept.add(rule.name);
    }
    // The loop takes work until none is left, so one drain covers what was just asked for.
    await drain();
  };

  return {
    sweep,
    recheck,
    holdDuringHistory() {
      importing++;
      let released = false;
      return () => {
        if (released) return Promise.resolve();
        released = true;
        importing--;
        return importing > 0 ? Promise.resolve() : sweep();
      };
    },
    async close() {
      closed = true;
      clearInterval(timer);
      if (later) clearTimeout(later.timer);
      for (const stop of unsubscribe) await stop();
      await running?.catch(() => undefined);
    },
  };
}

export const exceptionEngineSlot = runtimeSlot<ExceptionEngine>('exception-engine');
