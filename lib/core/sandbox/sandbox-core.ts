import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CoreReader } from '../entity-views';
import { CoreRefusal, type TransactionalCore } from '../transactional-core';
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
  /** Stops the stream; resolves once the tick in flight has saved and emitted. */
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
  /** Where a failed live tick is reported; the stream keeps going and retries what it could not deliver. */
  onError?: (error: unknown) => void;
}

export class SandboxHistoryExistsError extends Error {
  constructor() {
    super('The sandbox already has history in this store; backfill only runs on an empty store (use a fresh TOWER_DATA_DIR or database to seed again).');
    this.name = 'SandboxHistoryExistsError';
  }
}

/** The tower ingests at most this many events per call. */
const MAX_EMIT = 5_000;
const LIVE_TICK_MS = 1_000;
const DEFAULT_RATE = 12;

export async function openSandboxCore(o: SandboxCoreOptions): Promise<SandboxCore> {
  const { db } = o;
  const now = o.now ?? (() => new Date());
  const onError = o.onError ?? ((e: unknown) => console.error(`[sandbox] live tick failed, will retry: ${e instanceof Error ? e.message : String(e)}`));
  await migrateSandbox(db);
  const loaded = await loadWorld(db);
  let sim: Simulation | null = loaded ? Simulation.resume(loaded.world, DEFAULT_RATE) : null;
  /** Events saved with their state but not yet accepted by the tower. */
  let undelivered: SandboxEvent[] = loaded?.outbox ?? [];
  let liveRate = DEFAULT_RATE;
  let timer: NodeJS.Timeout | null = null;
  let busy: Promise<void> = Promise.resolve();
  let ticking = false;

  /** One operation on the world at a time: ticks, backfill and (later) actions never interleave. */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = busy.then(fn);
    busy = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  const emitInChunks = async (events: SandboxEvent[]): Promise<void> => {
    for (let i = 0; i < events.length; i += MAX_EMIT) await o.emit(events.slice(i, i + MAX_EMIT));
  };

  const createWorld = async (at: number, rate: number): Promise<Simulation> => {
    const created = Simulation.create(o.seed ?? randomInt(1, 2 ** 31 - 1), at, rate);
    await saveCatalogue(db, created.catalogue);
    return created;
  };

  /** Outbox discipline: state and its events commit together, then the events go out. */
  const saveAndDeliver = async (world: Simulation): Promise<SandboxEvent[]> => {
    const events = world.takeEvents();
    await saveWorld(db, world.world, events);
    world.retireFinished();
    undelivered = undelivered.concat(events);
    await deliverUndelivered();
    return events;
  };

  /** Brings the world up to now() in saved, bounded slices. */
  const catchUp = async (world: Simulation): Promise<void> => {
    await world.advanceTo(now().getTime(), async () => {
      if (world.pendingEvents >= MAX_EMIT) await saveAndDeliver(world);
    });
    await saveAndDeliver(world);
  };

  const deliverUndelivered = async (): Promise<void> => {
    if (!undelivered.length) return;
    const batch = undelivered;
    await emitInChunks(batch);
    undelivered = undelivered.slice(batch.length);
    await clearOutbox(db, batch.map((e) => e.id));
  };

  const tick = () =>
    exclusive(async () => {
      await deliverUndelivered();
      const until = now().getTime();
      const world = sim ?? (sim = await createWorld(until, liveRate));
      world.ordersPerMinute = liveRate;
      // A long pause (a restart after hours) is caught up in saved, bounded slices.
      await catchUp(world);
    });

  /**
   * An action happens at the current time on a world that is up to date, never between two steps
   * of a tick. A change that is refused throws before it touches anything. Once its state and
   * events are saved the action stands: if the tower cannot take the events right now they stay
   * in the outbox and the next tick delivers them.
   */
  const runAction: RunAction = (change) =>
    exclusive(async () => {
      const world = sim;
      if (!world) throw new CoreRefusal('unavailable', 'The sandbox core has no retailer yet: it creates one on its first tick or backfill.');
      await deliverUndelivered().catch(onError);
      await catchUp(world).catch(onError);
      const draft = await change(world, world.clock);
      const events = world.takeEvents();
      await saveWorld(db, world.world, events);
      world.retireFinished();
      undelivered = undelivered.concat(events);
      await deliverUndelivered().catch(onError);
      return { ...draft, eventIds: events.map((e) => e.id) };
    });

  let stopping = false;
  const backfill = (days: number, ordersPerMinute: number, onProgress?: (p: { day: string; events: number }) => void) =>
    exclusive(async () => {
      if (sim || (await hasStoredWorld(db))) throw new SandboxHistoryExistsError();
      const end = now().getTime();
      const world = await createWorld(end - days * DAY, ordersPerMinute);
      let events = 0;
      const send = async (limit: number) => {
        while (world.pendingEvents >= limit && world.pendingEvents > 0) {
          const chunk = world.takeEvents(MAX_EMIT);
          await o.emit(chunk);
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
        if (ticking) return;
        ticking = true;
        tick()
          .catch(onError)
          .finally(() => {
            ticking = false;
          });
      };
      timer = setInterval(beat, LIVE_TICK_MS);
      beat();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      await busy;
    },
    backfill,
    actions: createSandboxActions({ db, run: runAction, world: () => sim }),
    async hasHistory() {
      return sim !== null || (await hasStoredWorld(db));
    },
    tick,
  };
}
