import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CoreReader } from '../entity-views';
import { CoreRefusal, type TransactionalCore } from '../transactional-core';
import { Backoff } from './backoff';
import type { EmitEvents, SandboxEvent } from './sandbox-events';
import { migrateSandbox } from './schema';
import { createSandboxActions, type RunAction } from './sandbox-actions';
import { DAY, iso } from './sim-context';
import { Simulation } from './simulation';
import { clearOutbox, hasStoredWorld, loadWorld, saveCatalogue, saveWorld } from './state-store';

export type { EmitEvents, SandboxEvent } from './sandbox-events';

/** The tower's built-in transactional core: a simulated omnichannel retailer (DESIGN.md "Sandbox core"). */
export interface SandboxCore {
  /** Streams live in real time around a mean of `ordersPerMinute`, shaped by day/night and weekday. */
  start(ordersPerMinute: number): void;
  /** Stops the stream; resolves once the tick in flight has saved and its deliveries have ended. */
  stop(): Promise<void>;
  /** Simulates `days` of history ending now into an empty store. */
  backfill(days: number, ordersPerMinute: number, onProgress?: (p: { day: string; events: number }) => void): Promise<{ events: number; orders: number }>;
  /** True once the store holds a simulated world (backfilled or streamed). */
  hasHistory(): Promise<boolean>;
  /** Advances the world to now() once; `start` calls this every second. */
  tick(): Promise<void>;
  /** The actions the tower may take on this retailer, and its read side for drill-through. */
  readonly actions: TransactionalCore & CoreReader;
}

export interface SandboxCoreOptions {
  db: Kysely<object>;
  emit: EmitEvents;
  /** Makes a new world reproducible; ignored when the store already holds one. */
  seed?: number;
  now?: () => Date;
  /** Where a failed tick or delivery is reported; the stream keeps going and retries what it could not deliver. */
  onError?: (error: unknown) => void;
  /** Waits between attempts while deliveries fail: the first, doubling up to the longest. */
  retry?: { firstMs: number; maxMs: number };
}

export class SandboxHistoryExistsError extends Error {
  constructor() {
    super('The sandbox already has history in this store; backfill only runs on an empty store (use a fresh TOWER_DATA_DIR or database to seed again).');
    this.name = 'SandboxHistoryExistsError';
  }
}

/** Events per delivery: the tower writes a delivery in one go, and its KPI ledger costs mostly per write. */
const MAX_EMIT = 25_000;
const LIVE_TICK_MS = 1_000;
const DEFAULT_RATE = 12;
const DEFAULT_RETRY = { firstMs: 1_000, maxMs: 60_000 };

export async function openSandboxCore(o: SandboxCoreOptions): Promise<SandboxCore> {
  const { db } = o;
  const now = o.now ?? (() => new Date());
  const onError = o.onError ?? ((e: unknown) => console.error(`[sandbox] tick or delivery failed, will retry: ${e instanceof Error ? e.message : String(e)}`));
  await migrateSandbox(db);
  const loaded = await loadWorld(db);
  let sim: Simulation | null = loaded ? Simulation.resume(loaded.world, DEFAULT_RATE) : null;
  /** Events saved with their state but not yet accepted by the tower. */
  let undelivered: SandboxEvent[] = loaded?.outbox ?? [];
  let liveRate = DEFAULT_RATE;
  let timer: NodeJS.Timeout | null = null;
  let busy: Promise<void> = Promise.resolve();
  let ticking = false;
  const retry = o.retry ?? DEFAULT_RETRY;
  /** Live ticks wait this out after a failure, so a tower that is down is not hammered every second. */
  const liveBackoff = new Backoff(retry.firstMs, retry.maxMs);
  let nextBeatAt = 0;
  /** Ids of outbox events a delivery under way is sending, and those deliveries. */
  const sending = new Set<string>();
  const deliveries = new Set<Promise<void>>();

  /** One operation on the world at a time: ticks, backfill and (later) actions never interleave. */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = busy.then(fn);
    busy = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };


  const createWorld = async (at: number, rate: number): Promise<Simulation> => {
    const created = Simulation.create(o.seed ?? randomInt(1, 2 ** 31 - 1), at, rate);
    await saveCatalogue(db, created.catalogue);
    return created;
  };

  /** Outbox discipline: state and its events commit together; they go out from the outbox after. */
  const save = async (world: Simulation): Promise<SandboxEvent[]> => {
    const events = world.takeEvents();
    await saveWorld(db, world.world, events);
    world.retireFinished();
    undelivered = undelivered.concat(events);
    return events;
  };

  const saveAndDeliver = async (world: Simulation): Promise<void> => {
    await save(world);
    await deliverUndelivered();
  };

  /**
   * Brings the world up to now() in saved, bounded slices. The last slice stays in the outbox for
   * the caller to deliver once it has left the exclusive section (with its own events, if any).
   */
  const catchUp = async (world: Simulation): Promise<void> => {
    await world.advanceTo(now().getTime(), async () => {
      if (world.pendingEvents >= MAX_EMIT) await saveAndDeliver(world);
    });
    await save(world);
  };

  /**
   * Sends what the outbox holds that no delivery under way is sending already, and clears it from
   * the outbox once the tower has it. Deliveries run outside the world's exclusive section and may
   * overlap (the tower orders events by their own times), so an action never waits for a tick's
   * events to be stored, only for its own. `urgent` asks the tower to store them at once.
   */
  const deliverUndelivered = (urgent = false): Promise<void> => {
    const batch = undelivered.filter((e) => !sending.has(e.id));
    if (!batch.length) return Promise.resolve();
    for (const e of batch) sending.add(e.id);
    const delivery = (async () => {
      try {
        for (let i = 0; i < batch.length; i += MAX_EMIT) await o.emit(batch.slice(i, i + MAX_EMIT), { urgent });
        const sent = new Set(batch.map((e) => e.id));
        undelivered = undelivered.filter((e) => !sent.has(e.id));
        await clearOutbox(db, [...sent]);
      } finally {
        for (const e of batch) sending.delete(e.id);
      }
    })();
    deliveries.add(delivery);
    delivery.then(
      () => deliveries.delete(delivery),
      () => deliveries.delete(delivery),
    );
    return delivery;
  };

  const tick = async () => {
    await exclusive(async () => {
      const until = now().getTime();
      const world = sim ?? (sim = await createWorld(until, liveRate));
      world.ordersPerMinute = liveRate;
      // A long pause (a restart after hours) is caught up in saved, bounded slices.
      await catchUp(world);
    });
    await deliverUndelivered();
  };

  /**
   * An action happens at the current time on a world that is up to date, never between two steps
   * of a tick. A change that is refused throws before it touches anything. Once its state and
   * events are saved the action stands: if the tower cannot take the events right now they stay
   * in the outbox and the next tick delivers them.
   */
  const runAction: RunAction = async (change) => {
    const answer = await exclusive(async () => {
      const world = sim;
      if (!world) throw new CoreRefusal('unavailable', 'The sandbox core has no retailer yet: it creates one on its first tick or backfill.');
      await catchUp(world).catch(onError);
      const draft = await change(world, world.clock);
      const events = await save(world);
      return { ...draft, eventIds: events.map((e) => e.id) };
    });
    // What the world did since the last tick goes out with the action's own events, in one urgent
    // delivery: the answer waits until the tower has stored them, and for nothing else.
    await deliverUndelivered(true).catch(onError);
    return answer;
  };

  let stopping = false;
  let stopBackfillWaits = () => {};
  const backfill = (days: number, ordersPerMinute: number, onProgress?: (p: { day: string; events: number }) => void) =>
    exclusive(async () => {
      if (sim || (await hasStoredWorld(db))) throw new SandboxHistoryExistsError();
      const end = now().getTime();
      const world = await createWorld(end - days * DAY, ordersPerMinute);
      let events = 0;
      const backoff = new Backoff(retry.firstMs, retry.maxMs);
      stopBackfillWaits = () => backoff.interrupt();
      /** History is not in the outbox: a chunk taken from the world is sent until the tower has it. */
      const deliver = async (chunk: SandboxEvent[]) => {
        for (;;) {
          try {
            await o.emit(chunk);
            backoff.reset();
            return;
          } catch (err) {
            onError(err);
            if (stopping) throw new Error('backfill interrupted by shutdown');
            await backoff.wait();
          }
        }
      };
      const send = async (limit: number) => {
        while (world.pendingEvents >= limit && world.pendingEvents > 0) {
          const chunk = world.takeEvents(MAX_EMIT);
          await deliver(chunk);
          events += chunk.length;
        }
      };
      let checkpoint = world.clock + DAY;
      await world.advanceTo(end, async () => {
        // A shutdown must not wait for a month of history; the partial history stays stored.
        if (stopping) throw new Error('backfill interrupted by shutdown');
        await send(MAX_EMIT);
        if (world.clock < checkpoint) return;
        // Finished orders, returns and refunds are history the tower already has; only what is
        // still in flight at the end is saved, which keeps a month's backfill to seconds of writes.
        world.forgetFinished();
        onProgress?.({ day: iso(world.clock - 1).slice(0, 10), events });
        checkpoint += DAY;
      });
      await send(1);
      world.forgetFinished();
      await saveWorld(db, world.world);
      sim = world;
      liveRate = ordersPerMinute;
      return { events, orders: world.world.meta.counters.order };
    });

  return {
    start(ordersPerMinute) {
      liveRate = ordersPerMinute;
      if (timer) return;
      const beat = () => {
        if (ticking || Date.now() < nextBeatAt) return;
        ticking = true;
        tick()
          .then(
            () => liveBackoff.reset(),
            (err: unknown) => {
              onError(err);
              nextBeatAt = Date.now() + liveBackoff.next();
            },
          )
          .finally(() => {
            ticking = false;
          });
      };
      timer = setInterval(beat, LIVE_TICK_MS);
      beat();
    },
    async stop() {
      stopping = true;
      stopBackfillWaits();
      if (timer) clearInterval(timer);
      timer = null;
      await busy;
      await Promise.allSettled([...deliveries]);
    },
    backfill,
    actions: createSandboxActions({ db, run: runAction, world: () => sim }),
    async hasHistory() {
      return sim !== null || (await hasStoredWorld(db));
    },
    tick,
  };
}
