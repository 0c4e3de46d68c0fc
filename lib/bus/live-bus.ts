import type { ExceptionItem, ExceptionQueue } from '../exceptions/exception-item';
import { runtimeSlot } from '../runtime-slot';

/** What ingest announces after every flush: the web recomputes the board once per tick from it. */
export interface FlushAnnouncement {
  flushedAt: string;
  events: number;
  deadLetters: number;
  /** Latest business time among the flushed events, if any. */
  lastOccurredAt: string | null;
  types: string[];
  /**
   * The orders the flushed events are about, so the exception engine re-checks only those;
   * absent when there were more than MAX_ANNOUNCED_ORDERS (then it re-checks everything).
   */
  orderIds?: string[];
}

export const MAX_ANNOUNCED_ORDERS = 1_000;

/** What the exception engine changed: browsers apply it to the rows they hold. */
export interface ExceptionsDelta {
  at: string;
  /** Items opened or changed (claimed, snoozed, woken, new severity or value). */
  upserted: ExceptionItem[];
  /** Items that left the unresolved set. */
  resolvedIds: string[];
  /** Unresolved items per queue after the change. */
  counts: Record<ExceptionQueue, number>;
}

/** An admin changed a KPI's target: every web process recomputes the boards it serves. */
export interface TargetsChanged {
  at: string;
  kpiKey: string;
}

/**
 * A person's action changed something in the core: the exception engine re-checks it at once,
 * ahead of its routine work, so the exception it clears leaves every queue promptly.
 */
export interface RecheckRequest {
  at: string;
  /** The exception the action was taken from, if any: its rule is checked first. */
  exceptionId: string | null;
  /** What the action acted on, as the audit log names it (`order`, `refund`, `return`, `stock`). */
  entity: { type: string; id: string };
}

/**
 * The ledger worker brought stored events into the KPI ledger: the boards recompute on this,
 * not on the flush, so a tile shows an event as soon as its number can.
 */
export interface LedgerApplied {
  appliedAt: string;
  /** Stored events the pass covered. */
  events: number;
  /** Their event types (readers of state the ledger does not hold reuse answers until one of theirs arrives). */
  types?: string[];
  /** The newest business time (occurred_at) and receipt (received_at) among them, as ISO strings. */
  newest?: { occurredAt: string; receivedAt: string };
}

/**
 * The KPI ledger does not hold every stored event: the boards' figures leave some out until it
 * catches up. Published when that starts and ends, and again every few seconds while it lasts
 * (so a web process started meanwhile learns it too).
 */
export interface LedgerLag {
  at: string;
  /** Null: every event stored is counted again. */
  behind: {
    /** Families are being built again from the stored events (a first start, an upgrade), or a backlog is being applied. */
    reason: 'rebuilding' | 'catching-up';
    /** ISO time: the rebuild's start, or the receipt of the oldest event not yet counted. */
    since: string;
  } | null;
}

export interface LiveBusTopics {
  flush: FlushAnnouncement;
  ledger: LedgerApplied;
  'ledger-lag': LedgerLag;
  exceptions: ExceptionsDelta;
  targets: TargetsChanged;
  recheck: RecheckRequest;
}

export type Topic = keyof LiveBusTopics;

/** Publish/subscribe between the ingest and web roles: in-process by default, Redis when REDIS_URL is set. */
export interface LiveBus {
  publish<T extends Topic>(topic: T, message: LiveBusTopics[T]): Promise<void>;
  subscribe<T extends Topic>(topic: T, handler: (message: LiveBusTopics[T]) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const liveBusSlot = runtimeSlot<LiveBus>('live-bus');
