import { advanceReturn, advanceRefund } from './after-sales';
import { buildCatalogue, type Catalogue } from './catalogue';
import { countAndAdjust, receivePurchaseOrder, reviewReplenishment, snapshotStock, stockOpeningBalances } from './inventory';
import { placeOrder } from './order-intake';
import { emitProductCatalogue } from './product-catalogue-events';
import { advanceOrder } from './order-flow';
import { Random } from './random';
import { demandMultiplier } from './rhythm';
import type { SandboxEvent, SandboxEventData, SandboxEventType } from './sandbox-events';
import { HOUR, MINUTE, formatId, iso, type SimContext } from './sim-context';
import { TaskQueue, type Task, type TaskKind } from './task-queue';
import { emptyWorld, isFinalOrder, isFinalRefund, isFinalReturn, type Counters, type World } from './world';

const SNAPSHOT_EVERY = 6 * HOUR;

/**
 * The discrete-event engine shared by backfill and live streaming: new orders arrive as a
 * Poisson process shaped by the demand rhythm, and every entity's next step waits in a queue
 * until the clock reaches it. Events come out in occurred_at order.
 */
export class Simulation implements SimContext {
  readonly catalogue: Catalogue;
  readonly rng: Random;
  ordersPerMinute: number;
  private readonly queue = new TaskQueue();
  private buffer: SandboxEvent[] = [];

  private constructor(readonly world: World, ordersPerMinute: number) {
    this.catalogue = buildCatalogue(world.meta.seed);
    this.rng = new Random(world.meta.rng);
    this.ordersPerMinute = ordersPerMinute;
  }

  /** A new retailer opening at `at`: its products described first, then a few weeks of stock, counted at once. */
  static create(seed: number, at: number, ordersPerMinute: number): Simulation {
    const counters: Counters = { order: 0, pick: 0, shipment: 0, return: 0, refund: 0, po: 0, customer: 100_000 };
    const sim = new Simulation(emptyWorld({ seed, clock: at, rng: new Random(seed).state(), counters }), ordersPerMinute);
    emitProductCatalogue(sim, at);
    stockOpeningBalances(sim, at);
    snapshotStock(sim, at);
    sim.schedulePeriodic();
    return sim;
  }

  /** Picks up a stored world where it stopped. */
  static resume(world: World, ordersPerMinute: number): Simulation {
    const sim = new Simulation(world, ordersPerMinute);
    const ordered = <T extends { next_at: number | null }>(m: Map<string, T>, kind: TaskKind) => {
      for (const [id, e] of [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) if (e.next_at !== null) sim.queue.push(kind, id, e.next_at);
    };
    ordered(world.orders, 'order');
    ordered(world.returns, 'return');
    ordered(world.refunds, 'refund');
    for (const po of [...world.pos.values()].sort((a, b) => (a.po_id < b.po_id ? -1 : 1))) {
      if (po.status === 'open') sim.queue.push('po', po.po_id, po.arrives_at);
    }
    sim.schedulePeriodic();
    return sim;
  }

  get clock(): number {
    return this.world.meta.clock;
  }

  emit<K extends SandboxEventType>(type: K, at: number, data: SandboxEventData[K], id?: string): void {
    this.buffer.push({ id: id ?? `sbx-${this.rng.uuid()}`, type, occurred_at: iso(at), source: 'sandbox', data });
  }

  schedule(kind: TaskKind, id: string, at: number): void {
    this.queue.push(kind, id, at);
  }

  nextId(kind: keyof Counters): string {
    this.world.meta.counters[kind] += 1;
    return formatId(kind, this.world.meta.counters[kind]);
  }

  /** Events produced since the last call, oldest first; at most `limit` of them. */
  takeEvents(limit = Infinity): SandboxEvent[] {
    if (this.buffer.length <= limit) {
      const all = this.buffer;
      this.buffer = [];
      return all;
    }
    return this.buffer.splice(0, limit);
  }

  get pendingEvents(): number {
    return this.buffer.length;
  }

  /**
   * Runs the world forward to `until` in steps of at most a minute. `afterStep` runs between
   * steps so a caller can hand over events and apply backpressure.
   */
  async advanceTo(until: number, afterStep?: () => Promise<void>): Promise<void> {
    while (this.clock < until) {
      const stepEnd = Math.min(until, (Math.floor(this.clock / MINUTE) + 1) * MINUTE);
      this.scheduleArrivals(this.clock, stepEnd);
      for (let task = this.queue.popDue(stepEnd); task; task = this.queue.popDue(stepEnd)) this.run(task);
      this.world.meta.clock = stepEnd;
      this.world.meta.rng = this.rng.state();
      if (afterStep) await afterStep();
    }
  }

  /** Drops entities that reached a final state and have been saved. */
  retireFinished(): void {
    const { world } = this;
    for (const [id, o] of world.orders) if (isFinalOrder(o) && !world.dirty.orders.has(id)) world.orders.delete(id);
    for (const [id, r] of world.returns) if (isFinalReturn(r) && !world.dirty.returns.has(id)) world.returns.delete(id);
    for (const [id, r] of world.refunds) if (isFinalRefund(r) && !world.dirty.refunds.has(id)) world.refunds.delete(id);
    for (const [id, p] of world.pos) if (p.status === 'received' && !world.dirty.pos.has(id)) world.pos.delete(id);
  }

  /** Drops finished entities without saving them (backfill history lives in the tower, not here). */
  forgetFinished(): void {
    const { world } = this;
    const forget = <T>(m: Map<string, T>, dirty: Set<string>, done: (e: T) => boolean) => {
      for (const [id, e] of m) {
        if (!done(e)) continue;
        m.delete(id);
        dirty.delete(id);
      }
    };
    forget(world.orders, world.dirty.orders, isFinalOrder);
    forget(world.returns, world.dirty.returns, isFinalReturn);
    forget(world.refunds, world.dirty.refunds, isFinalRefund);
    forget(world.pos, world.dirty.pos, (p) => p.status === 'received');
  }

  private scheduleArrivals(from: number, to: number): void {
    const expected = this.ordersPerMinute * demandMultiplier(from) * ((to - from) / MINUTE);
    const count = this.rng.poisson(expected);
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(from + Math.max(1, Math.round(this.rng.next() * (to - from))));
    times.sort((a, b) => a - b);
    for (const t of times) this.queue.push('arrival', '', Math.min(t, to));
  }

  private schedulePeriodic(): void {
    const clock = this.clock;
    this.queue.push('hourly', '', (Math.floor(clock / HOUR) + 1) * HOUR);
    this.queue.push('snapshot', '', (Math.floor(clock / SNAPSHOT_EVERY) + 1) * SNAPSHOT_EVERY);
  }

  private run(task: Task): void {
    const { world } = this;
    const at = task.at;
    switch (task.kind) {
      case 'arrival': {
        const order = placeOrder(this, at);
        world.orders.set(order.order_id, order);
        world.dirty.orders.add(order.order_id);
        if (order.next_at !== null) this.queue.push('order', order.order_id, order.next_at);
        return;
      }
      case 'order': {
        const order = world.orders.get(task.id);
        if (order && order.next_at !== null && Math.round(order.next_at) === Math.round(at)) advanceOrder(this, order, at);
        return;
      }
      case 'return': {
        const rma = world.returns.get(task.id);
        if (rma && rma.next_at !== null && Math.round(rma.next_at) === Math.round(at)) advanceReturn(this, rma, at);
        return;
      }
      case 'refund': {
        const refund = world.refunds.get(task.id);
        if (refund && refund.next_at !== null && Math.round(refund.next_at) === Math.round(at)) advanceRefund(this, refund, at);
        return;
      }
      case 'po': {
        const po = world.pos.get(task.id);
        if (po && po.status === 'open' && Math.round(po.arrives_at) === Math.round(at)) receivePurchaseOrder(this, po, at);
        return;
      }
      case 'hourly':
        reviewReplenishment(this, at);
        countAndAdjust(this, at);
        this.queue.push('hourly', '', at + HOUR);
        return;
      case 'snapshot':
        snapshotStock(this, at);
        this.queue.push('snapshot', '', at + SNAPSHOT_EVERY);
        return;
    }
  }
}
