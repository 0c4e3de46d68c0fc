import type { Catalogue } from './catalogue';
import type { Random } from './random';
import type { SandboxEventData, SandboxEventType } from './sandbox-events';
import type { TaskKind } from './task-queue';
import type { Counters, World } from './world';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** What every lifecycle step may use: the state, the master data, chance, and a way to speak and to plan. */
export interface SimContext {
  readonly world: World;
  readonly catalogue: Catalogue;
  readonly rng: Random;
  /** The current mean order rate (orders per minute), for replenishment sizing. */
  readonly ordersPerMinute: number;
  /**
   * Queues an event. `id` is for facts that may be stated again (the product catalogue): the same
   * id twice is one event to the tower. Other events get a fresh id.
   */
  emit<K extends SandboxEventType>(type: K, at: number, data: SandboxEventData[K], id?: string): void;
  schedule(kind: TaskKind, id: string, at: number): void;
  nextId(kind: keyof Counters): string;
}

const PREFIX: Record<keyof Counters, string> = {
  order: 'SO',
  pick: 'PK',
  shipment: 'SH',
  return: 'RMA',
  refund: 'RF',
  po: 'PO',
  customer: 'CUS',
};

export function formatId(kind: keyof Counters, n: number): string {
  return `${PREFIX[kind]}-${String(n).padStart(7, '0')}`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
