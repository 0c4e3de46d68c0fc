/**
 * What the tower may ask of a retailer's transactional core (the sandbox, Odoo, a signed
 * webhook). Each call either changes the core's state and returns what it did, or refuses with a
 * CoreRefusal a person can act on. The core emits the resulting events itself (they come back
 * through ingest and close the loop); the answer names their ids.
 */
export interface CoreAnswer {
  /** One line a person reads in the result toast and the audit log. */
  summary: string;
  /** The entity as the core saw it before and after the call (JSON-serialisable). */
  before: unknown;
  after: unknown;
  /** Ids of the events the core emitted for this change. */
  eventIds: string[];
}

export type CoreRefusalCode = 'not_found' | 'invalid_state' | 'invalid_request' | 'unavailable';

const CORE_REFUSAL = Symbol.for('control-tower.core-refusal');

/**
 * A core's business refusal. The core runs in the custom server's module graph and the action
 * route in Next.js's bundle, each with its own copy of this class, so `instanceof` checks a
 * process-wide brand rather than the class itself.
 */
export class CoreRefusal extends Error {
  readonly [CORE_REFUSAL] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && CORE_REFUSAL in value;
  }

  constructor(
    readonly code: CoreRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'CoreRefusal';
  }
}

/** Who asked: carried into the core's own records (e.g. `order.released.by`, `refund.approved.approver`). */
export interface CoreCaller {
  userId: string;
  name: string;
}

export interface TransactionalCore {
  readonly name: string;
  releaseOrderHold(c: CoreCaller, p: { orderId: string }): Promise<CoreAnswer>;
  cancelOrder(c: CoreCaller, p: { orderId: string; reason: string }): Promise<CoreAnswer>;
  reallocateOrder(c: CoreCaller, p: { orderId: string; warehouse: string }): Promise<CoreAnswer>;
  expediteOrder(c: CoreCaller, p: { orderId: string }): Promise<CoreAnswer>;
  /** Ships what is in stock now and backorders the rest. */
  splitShipment(c: CoreCaller, p: { orderId: string }): Promise<CoreAnswer>;
  approveRefund(c: CoreCaller, p: { refundId: string }): Promise<CoreAnswer>;
  rejectRefund(c: CoreCaller, p: { refundId: string; reason: string }): Promise<CoreAnswer>;
  setReturnDisposition(
    c: CoreCaller,
    p: { returnId: string; lines: { sku: string; qty: number; disposition: 'restock' | 'refurbish' | 'vendor_claim' | 'liquidate' | 'scrap' }[] },
  ): Promise<CoreAnswer>;
  /** Posts a cycle count: the core adjusts on-hand to `countedQty`. */
  postStockCount(c: CoreCaller, p: { warehouse: string; sku: string; countedQty: number }): Promise<CoreAnswer>;
  createReplenishmentPo(c: CoreCaller, p: { warehouse: string; sku: string; qty: number }): Promise<CoreAnswer>;
}
