/**
 * A known event set for the drill-through queries: one order's whole life (held, released,
 * shipped before its creation arrives, returned, refunded), a cancelled order, an old order
 * outside the range, a rejected return, stock counted and moved in two warehouses, and a
 * neighbouring SKU whose name starts the same. Sent in batches whose order is not business order;
 * `resent` holds ids sent again (duplicates) in a later batch.
 */
export interface FixtureEvent {
  id: string;
  type: string;
  occurred_at: string;
  source: string;
  data: Record<string, unknown>;
}

const ev = (id: string, type: string, at: string, data: Record<string, unknown>): FixtureEvent => ({
  id,
  type,
  occurred_at: at,
  source: 'test',
  data,
});

export const SKU = 'TEE-A';
export const OTHER_SKU = 'TEE-A-XL';
export const ORDER = 'SO-1';
export const RETURN = 'RT-1';
export const REFUND = 'RF-1';
/** The range the SKU tests read: 30 UTC days ending with 2026-03-10. */
export const RANGE = { from: new Date('2026-02-09T00:00:00Z'), to: new Date('2026-03-11T00:00:00Z') };

const batch1: FixtureEvent[] = [
  // Shipped before its order.created is stored: out of order.
  ev('e-ship', 'order.shipped', '2026-03-09T15:00:00Z', {
    order_id: ORDER,
    shipment_id: 'SH-1',
    warehouse: 'east',
    carrier: 'ups',
    shipping_cost: 6.1,
    lines: [
      { sku: SKU, qty: 2 },
      { sku: OTHER_SKU, qty: 1 },
    ],
  }),
  ev('e-snap-east-2', 'stock.snapshot', '2026-03-09T00:00:00Z', { warehouse: 'east', sku: SKU, on_hand: 90, reserved: 4 }),
  ev('e-snap-west', 'stock.snapshot', '2026-03-09T00:00:00Z', {
    warehouse: 'west',
    sku: SKU,
    on_hand: 40,
    reserved: 0,
    in_transit: 12,
  }),
  ev('e-recv-early', 'stock.received', '2026-03-08T12:00:00Z', { warehouse: 'east', sku: SKU, qty: 10, unit_cost: 4 }),
  ev('e-recv', 'stock.received', '2026-03-09T09:00:00Z', { warehouse: 'east', sku: SKU, qty: 48, unit_cost: 4, po_id: 'PO-1' }),
  ev('e-adj-east', 'stock.adjusted', '2026-03-09T12:00:00Z', { warehouse: 'east', sku: SKU, qty_delta: -3, reason: 'damage' }),
  ev('e-adj-west', 'stock.adjusted', '2026-03-09T13:00:00Z', { warehouse: 'west', sku: SKU, qty_delta: 2, reason: 'found' }),
  ev('e-xfer', 'stock.transferred', '2026-03-09T14:00:00Z', {
    transfer_id: 'TR-1',
    from_warehouse: 'east',
    to_warehouse: 'west',
    sku: SKU,
    qty: 12,
  }),
  ev('e-other-recv', 'stock.received', '2026-03-09T09:30:00Z', { warehouse: 'east', sku: OTHER_SKU, qty: 7, unit_cost: 5 }),
  ev('e-o2-created', 'order.created', '2026-03-10T09:00:00Z', {
    order_id: 'SO-2',
    channel: 'web',
    lines: [{ sku: SKU, qty: 3, unit_price: 12, unit_cost: 4 }],
  }),
  ev('e-o2-cancel', 'order.cancelled', '2026-03-10T09:30:00Z', { order_id: 'SO-2', reason: 'changed_mind', initiated_by: 'customer' }),
  ev('e-o4-created', 'order.created', '2026-03-10T10:00:00Z', {
    order_id: 'SO-4',
    channel: 'web',
    lines: [{ sku: SKU, qty: 1, unit_price: 11 }],
  }),
  ev('e-o3-created', 'order.created', '2026-02-01T09:00:00Z', {
    order_id: 'SO-3',
    channel: 'b2b',
    lines: [{ sku: SKU, qty: 5, unit_price: 10, unit_cost: 4 }],
  }),
];

const batch2: FixtureEvent[] = [
  ev('e-created', 'order.created', '2026-03-09T10:00:00Z', {
    order_id: ORDER,
    channel: 'marketplace_a',
    currency: 'EUR',
    region: 'north',
    promised_ship_by: '2026-03-09T18:00:00Z',
    lines: [
      { sku: SKU, qty: 2, unit_price: '10.00', unit_cost: 4, discount: 1 },
      { sku: OTHER_SKU, qty: 1, unit_price: 5.5 },
    ],
  }),
  ev('e-held', 'order.held', '2026-03-09T10:01:00Z', { order_id: ORDER, reason: 'fraud_review', note: 'new customer' }),
  ev('e-released', 'order.released', '2026-03-09T11:00:00Z', { order_id: ORDER, by: 'jane@ops' }),
  ev('e-alloc', 'order.allocated', '2026-03-09T11:05:00Z', { order_id: ORDER, warehouse: 'east', lines: [{ sku: SKU, qty: 2 }] }),
  ev('e-pick', 'pick.completed', '2026-03-09T14:00:00Z', {
    pick_id: 'PK-1',
    order_id: ORDER,
    warehouse: 'east',
    lines: [{ sku: SKU, qty_required: 2, qty_picked: 2 }],
  }),
  ev('e-r1-req', 'return.requested', '2026-03-10T08:00:00Z', {
    return_id: RETURN,
    order_id: ORDER,
    lines: [{ sku: SKU, qty: 1, reason_code: 'size' }],
  }),
  ev('e-r1-auth', 'return.authorized', '2026-03-10T08:30:00Z', { return_id: RETURN }),
  ev('e-r2-req', 'return.requested', '2026-03-05T08:00:00Z', {
    return_id: 'RT-2',
    order_id: 'SO-3',
    lines: [
      { sku: SKU, qty: 2, reason_code: 'damaged' },
      { sku: OTHER_SKU, qty: 1, reason_code: 'damaged' },
    ],
  }),
  ev('e-r3-req', 'return.requested', '2026-03-07T08:00:00Z', {
    return_id: 'RT-3',
    order_id: 'SO-3',
    lines: [{ sku: SKU, qty: 1, reason_code: 'size' }],
  }),
];

const batch3: FixtureEvent[] = [
  // Late: happened before events already stored.
  ev('e-snap-east-1', 'stock.snapshot', '2026-03-08T00:00:00Z', {
    warehouse: 'east',
    sku: SKU,
    on_hand: 100,
    reserved: 5,
    quarantine: 2,
    damaged: 1,
    in_transit: 0,
  }),
  ev('e-r2-rej', 'return.rejected', '2026-03-06T08:00:00Z', { return_id: 'RT-2', reason: 'outside policy' }),
  ev('e-r1-recv', 'return.received', '2026-03-10T10:00:00Z', {
    return_id: RETURN,
    warehouse: 'east',
    lines: [{ sku: SKU, qty: 1, condition: 'unworn' }],
  }),
  ev('e-r1-insp', 'return.inspected', '2026-03-10T11:00:00Z', {
    return_id: RETURN,
    lines: [{ sku: SKU, qty: 1, disposition: 'restock', recovery_value: 8.5 }],
  }),
  ev('e-rf-req', 'refund.requested', '2026-03-10T11:05:00Z', { refund_id: REFUND, order_id: ORDER, return_id: RETURN, amount: 9.5 }),
  ev('e-rf-appr', 'refund.approved', '2026-03-10T11:10:00Z', { refund_id: REFUND, approver: 'lee' }),
  ev('e-rf-issued', 'refund.issued', '2026-03-10T11:20:00Z', { refund_id: REFUND, order_id: ORDER, amount: '9.50', method: 'card' }),
];

export const batches: FixtureEvent[][] = [batch1, batch2, batch3];
/** Sent a second time, in the last batch: the ingest must store each once. */
export const resent: FixtureEvent[] = [batch1[0], batch1[4], batch2[0], batch2[5]];
/** Stored twice as raw rows, as two ingest processes could in the same flush (docs/events.md, Dedupe). */
export const storedTwice: FixtureEvent[] = [batch2[0], batch2[5]];
export const allEvents: FixtureEvent[] = batches.flat();
