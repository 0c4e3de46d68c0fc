import type { Kysely } from 'kysely';
import type { FlushAnnouncement, LiveBus } from '@/lib/bus/live-bus';
import type { ExceptionItem } from '@/lib/exceptions/exception-item';
import { countOpenByQueue } from '@/lib/exceptions/exception-queries';
import { wakeSnoozedExceptions } from '@/lib/exceptions/exception-transitions';
import { reconcileConditions } from '@/lib/exceptions/reconcile-conditions';
import type { RuleName } from '@/lib/exceptions/rule-catalogue';
import { readRuleSettings } from '@/lib/exceptions/rule-settings-store';
import { runtimeSlot } from '@/lib/runtime-slot';
import type { Analytics } from '../clickhouse';
import type { ExceptionRule } from './exception-rule';
import { exceptionRules } from './exception-rules';

export interface ExceptionEngine {
  /** Runs every rule over everything and wakes due snoozes; resolves once done. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/** Items per bus message: a first sweep may open thousands, and one huge message helps nobody. */
const DELTA_CHUNK = 500;

interface Pending {
  full: Set<RuleName>;
  scoped: Map<RuleName, Set<string>>;
  wake: boolean;
}

/**
 * Runs the exception rules and reconciles what they report with the workflow store. A flush runs
 * the rules its event types can affect, for only the orders it touched when the rule allows; the
 * schedule runs the time-based rules and wakes snoozes every tick, and every rule over everything
 * every `sweepEveryTicks` ticks (which also repairs anything a lost announcement missed). Work is
 * serial and coalesced: flushes landing during a run merge into the next one, so the shared chDB
 * engine sees at most one rule query at a time from here.
 */
export async function startExceptionEngine(o: {
  analytics: Analytics;
  db: Kysely<object>;
  bus: LiveBus;
  tickMs?: number;
  sweepEveryTicks?: number;
  now?: () => Date;
  rules?: readonly ExceptionRule[];
}): Promise<ExceptionEngine> {
  const rules = o.rules ?? exceptionRules;
  const byName = new Map(rules.map((r) => [r.name, r]));
  const now = o.now ?? (() => new Date());
  const sweepEvery = o.sweepEveryTicks ?? 4;
  let pending: Pending = { full: new Set(), scoped: new Map(), wake: false };
  let running: Promise<void> | null = null;
  let closed = false;
  let ticks = 0;

  const runOnce = async (work: Pending) => {
    const at = now();
    const settings = await readRuleSettings(o.db);
    const upserted = new Map<string, ExceptionItem>();
    const resolvedIds = new Set<string>();
    const take = (items: ExceptionItem[], resolved: ExceptionItem[]) => {
      for (const i of items) upserted.set(i.id, i);
      for (const i of resolved) {
        upserted.delete(i.id);
        resolvedIds.add(i.id);
      }
    };
    if (work.wake) take(await wakeSnoozedExceptions(o.db, at), []);
    const jobs: { rule: ExceptionRule; orderIds?: string[] }[] = [];
    for (const name of work.full) jobs.push({ rule: byName.get(name)! });
    for (const [name, ids] of work.scoped)
      if (!work.full.has(name) && ids.size) jobs.push({ rule: byName.get(name)!, orderIds: [...ids] });
    for (const { rule, orderIds } of jobs) {
      const s = settings[rule.name];
      // A switched-off rule leaves its items as they are: an admin decides what to do with them.
      if (!s.enabled) continue;
      try {
        const raised = await rule.evaluate(o.analytics, { now: at, settings: s, orderIds });
        const outcome = await reconcileConditions(o.db, { rule: rule.name, orderIds }, raised, {
          now: at,
          slaMinutes: s.slaMinutes,
        });
        take(outcome.upserted, outcome.resolved);
      } catch (err) {
        console.error(
          `[exceptions] rule ${rule.name} failed; it runs again on the next tick:`,
          err instanceof Error ? err.message : err,
        );
      }
    }
    if (upserted.size === 0 && resolvedIds.size === 0) return;
    const counts = await countOpenByQueue(o.db);
    const items = [...upserted.values()];
    const ids = [...resolvedIds];
    for (let i = 0; i === 0 || i < Math.max(items.length, ids.length); i += DELTA_CHUNK) {
      await o.bus
        .publish('exceptions', {
          at: at.toISOString(),
          upserted: items.slice(i, i + DELTA_CHUNK),
          resolvedIds: ids.slice(i, i + DELTA_CHUNK),
          counts,
        })
        .catch((err: unknown) =>
          console.error('[exceptions] delta announcement failed:', err instanceof Error ? err.message : err),
        );
    }
  };

  const hasWork = (p: Pending) => p.wake || p.full.size > 0 || p.scoped.size > 0;

  const drain = (): Promise<void> => {
    if (running) return running;
    if (!hasWork(pending)) return Promise.resolve();
    running = (async () => {
      // Yield first, so that `running` is set before the loop can finish and clear it.
      await Promise.resolve();
      try {
        while (hasWork(pending) && !closed) {
          const work = pending;
          pending = { full: new Set(), scoped: new Map(), wake: false };
          await runOnce(work).catch((err: unknown) =>
            console.error(
              '[exceptions] run failed; it runs again on the next tick:',
              err instanceof Error ? err.message : err,
            ),
          );
        }
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const onFlush = (a: FlushAnnouncement) => {
    const types = new Set(a.types);
    for (const rule of rules) {
      const triggered = rule.triggers.some((t) => types.has(t)) || (rule.name === 'dead_letters' && a.deadLetters > 0);
      if (!triggered) continue;
      if (rule.byOrder && a.orderIds) {
        const ids = pending.scoped.get(rule.name) ?? new Set<string>();
        for (const id of a.orderIds) ids.add(id);
        pending.scoped.set(rule.name, ids);
      } else pending.full.add(rule.name);
    }
    void drain();
  };

  const onTick = () => {
    ticks++;
    pending.wake = true;
    for (const rule of rules) if (rule.timed || ticks % sweepEvery === 0) pending.full.add(rule.name);
    void drain();
  };

  const unsubscribe = await o.bus.subscribe('flush', onFlush);
  const timer = setInterval(onTick, o.tickMs ?? 15_000);
  timer.unref();

  return {
    async sweep() {
      pending.wake = true;
      for (const rule of rules) pending.full.add(rule.name);
      // A run already under way may have taken its work before this call: wait for it, then ours.
      await drain();
      await drain();
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await unsubscribe();
      await running?.catch(() => undefined);
    },
  };
}

export const exceptionEngineSlot = runtimeSlot<ExceptionEngine>('exception-engine');
