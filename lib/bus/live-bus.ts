import { runtimeSlot } from '../runtime-slot';

/** What ingest announces after every flush: the web recomputes the board once per tick from it. */
export interface FlushAnnouncement {
  flushedAt: string;
  events: number;
  deadLetters: number;
  /** Latest business time among the flushed events, if any. */
  lastOccurredAt: string | null;
  types: string[];
}

export interface LiveBusTopics {
  flush: FlushAnnouncement;
}

export type Topic = keyof LiveBusTopics;

/** Publish/subscribe between the ingest and web roles: in-process by default, Redis when REDIS_URL is set. */
export interface LiveBus {
  publish<T extends Topic>(topic: T, message: LiveBusTopics[T]): Promise<void>;
  subscribe<T extends Topic>(topic: T, handler: (message: LiveBusTopics[T]) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const liveBusSlot = runtimeSlot<LiveBus>('live-bus');
