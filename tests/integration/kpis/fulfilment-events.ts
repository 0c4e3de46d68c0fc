// The fulfilment test's input: events sent in batches (a shipment before its order.created, a
// split shipment, duplicates, late and out-of-order events, corrections), and the facts of the
// stored events in plain TypeScript, from which the test computes every expected value.

export interface TestEvent {
  id: string;
  type: string;
  occurred_at: string;
  source: 'test';
  data: Record<string, unknown>;
}

const ev = (id: string, type: string, at: string, data: Record<string, unknown>): TestEvent => ({
  id,
  type,
  occurred_at: at,
  source: 'test',
  data,
});

export const products = [
  { sku: 'TEE', category: 'apparel' },
  { sku: 'CAP', category: 'apparel' },
  { sku: 'MUG', category: 'home' },
];
export const categoryOf = (sku: string) => products.find((p) => p.sku === sku)?.category ?? '';

interface LineIn {
  sku: string;
  qty: number;
  unit_price: number;
  discount?: number;
}
const created = (
  id: string,
  at: string,
  o: { channel: string; region: string; lines: LineIn[]; ship_by?: string; deliver_by?: string },
) =>
  ev(`c-${id}`, 'order.created', at, {
    order_id: id,
    channel: o.channel,
    region: o.region,
    lines: o.lines,
    ...(o.ship_by ? { promised_ship_by: o.ship_by } : {}),
    ...(o.deliver_by ? { promised_delivery_by: o.deliver_by } : {}),
  });
const shipped = (
  eventId: string,
  order: string,
  shipment: string,
  at: string,
  s: { warehouse: string; carrier: string; cost?: number; lines: { sku: string; qty: number }[] },
) =>
  ev(eventId, 'order.shipped', at, {
    order_id: order,
    shipment_id: shipment,
    warehouse: s.warehouse,
    carrier: s.carrier,
    lines: s.lines,
    ...(s.cost === undefined ? {} : { shipping_cost: s.cost }),
  });
const picked = (
  eventId: string,
  pick: string,
  order: string,
  at: string,
  warehouse: string,
  lines: { sku: string; qty_required: number; qty_picked: number }[],
  errors = 0,
) => ev(eventId, 'pick.completed', at, { pick_id: pick, order_id: order, warehouse, lines, errors });

const T = (hm: string) => `2026-03-10T${hm}:00Z`;
const Y = (hm: string) => `2026-03-09T${hm}:00Z`;

/** Batch 1: a shipment of A3 before A3's order.created, orders, shipments, picks, backorders. */
const batch1: TestEvent[] = [
  shipped('s-A3', 'A3', 'SH-A3', T('11:30'), {
    warehouse: 'WH-EAST',
    carrier: 'dhl',
    cost: 4,
    lines: [{ sku: 'TEE', qty: 1 }],
  }),
  ...products.map((p, i) => ev(`p-${i}`, 'product.updated', '2026-01-01T00:00:00Z', p)),
  created('A1', T('08:00'), {
    channel: 'web',
    region: 'west',
    ship_by: T('12:00'),
    deliver_by: '2026-03-12T00:00:00Z',
    lines: [
      { sku: 'TEE', qty: 2, unit_price: 20 },
      { sku: 'MUG', qty: 1, unit_price: 40 },
    ],
  }),
  shipped('s-A1', 'A1', 'SH-A1', T('10:00'), {
    warehouse: 'WH-EAST',
    carrier: 'ups',
    cost: 7.5,
    lines: [
      { sku: 'TEE', qty: 2 },
      { sku: 'MUG', qty: 1 },
    ],
  }),
  ev('d-A1', 'order.delivered', T('14:00'), { order_id: 'A1', shipment_id: 'SH-A1' }),
  picked(
    'k-A1',
    'PK-A1',
    'A1',
    T('09:30'),
    'WH-EAST',
    [
      { sku: 'MUG', qty_required: 1, qty_picked: 1 },
      { sku: 'TEE', qty_required: 2, qty_picked: 2 },
    ],
    1,
  ),
  // A2: a split shipment, the first one late and incomplete; two lines of the same SKU.
  created('A2', T('09:00'), {
    channel: 'amazon',
    region: 'east',
    ship_by: T('11:00'),
    deliver_by: T('14:00'),
    lines: [
      { sku: 'CAP', qty: 2, unit_price: 12 },
      { sku: 'MUG', qty: 2, unit_price: 10, discount: 2 },
      { sku: 'CAP', qty: 1, unit_price: 12 },
    ],
  }),
  shipped('s-A2b', 'A2', 'SH-A2b', T('13:00'), {
    warehouse: 'WH-WEST',
    carrier: 'fedex',
    cost: 6,
    lines: [
      { sku: 'CAP', qty: 1 },
      { sku: 'MUG', qty: 2 },
    ],
  }),
  shipped('s-A2a', 'A2', 'SH-A2a', T('12:00'), {
    warehouse: 'WH-WEST',
    carrier: 'fedex',
    cost: 5,
    lines: [{ sku: 'CAP', qty: 2 }],
  }),
  picked('k-A2', 'PK-A2', 'A2', T('11:30'), 'WH-WEST', [
    { sku: 'CAP', qty_required: 3, qty_picked: 1 },
    { sku: 'MUG', qty_required: 2, qty_picked: 2 },
  ]),
  // A4: placed today, one line backordered, still open.
  created('A4', T('07:00'), {
    channel: 'web',
    region: 'west',
    lines: [
      { sku: 'TEE', qty: 1, unit_price: 20 },
      { sku: 'MUG', qty: 2, unit_price: 40, discount: 10 },
    ],
  }),
  ev('b-A4', 'order.backordered', T('07:30'), { order_id: 'A4', lines: [{ sku: 'MUG', qty_short: 2 }] }),
  // A5: nine days old, backordered, open.
  created('A5', '2026-03-01T12:00:00Z', {
    channel: 'b2b',
    region: 'south',
    lines: [{ sku: 'TEE', qty: 5, unit_price: 18 }],
  }),
  ev('b-A5', 'order.backordered', '2026-03-01T13:00:00Z', { order_id: 'A5', lines: [{ sku: 'TEE', qty_short: 5 }] }),
  // A6: 37 days old, never shipped.
  created('A6', '2026-02-01T09:00:00Z', {
    channel: 'web',
    region: 'west',
    lines: [{ sku: 'CAP', qty: 1, unit_price: 12 }],
  }),
  // A7: cancelled by the seller, then again (a later, distinct event) by the customer.
  created('A7', T('09:30'), { channel: 'web', region: 'east', lines: [{ sku: 'TEE', qty: 1, unit_price: 20 }] }),
  ev('x-A7', 'order.cancelled', T('10:00'), { order_id: 'A7', reason: 'fraud_suspected', initiated_by: 'seller' }),
  // A8: yesterday, cancelled by the customer.
  created('A8', Y('10:00'), { channel: 'amazon', region: 'east', lines: [{ sku: 'MUG', qty: 1, unit_price: 40 }] }),
  ev('x-A8', 'order.cancelled', Y('12:00'), { order_id: 'A8', reason: 'changed_mind', initiated_by: 'customer' }),
  // A9: placed and backordered yesterday, shipped today (which closes the backorder), returned damaged.
  created('A9', Y('20:00'), {
    channel: 'web',
    region: 'west',
    ship_by: T('10:00'),
    lines: [{ sku: 'TEE', qty: 1, unit_price: 20 }],
  }),
  ev('b-A9', 'order.backordered', Y('21:00'), { order_id: 'A9', lines: [{ sku: 'TEE', qty_short: 1 }] }),
  shipped('s-A9', 'A9', 'SH-A9', T('09:00'), {
    warehouse: 'WH-EAST',
    carrier: 'ups',
    cost: 5,
    lines: [{ sku: 'TEE', qty: 1 }],
  }),
  ev('r-A9', 'return.requested', T('13:00'), {
    return_id: 'RT-A9',
    order_id: 'A9',
    lines: [{ sku: 'TEE', qty: 1, reason_code: 'damaged' }],
  }),
  // A10: shipped on time, a wrong_item return requested (rejected in a later batch).
  created('A10', T('06:00'), {
    channel: 'web',
    region: 'west',
    ship_by: T('12:00'),
    lines: [{ sku: 'CAP', qty: 1, unit_price: 12 }],
  }),
  shipped('s-A10', 'A10', 'SH-A10', T('08:00'), {
    warehouse: 'WH-EAST',
    carrier: 'usps',
    lines: [{ sku: 'CAP', qty: 1 }],
  }),
  ev('r-A10', 'return.requested', T('12:00'), {
    return_id: 'RT-A10',
    order_id: 'A10',
    lines: [{ sku: 'CAP', qty: 1, reason_code: 'wrong_item' }],
  }),
  // A11: returned for size: still perfect.
  created('A11', T('05:00'), { channel: 'web', region: 'east', lines: [{ sku: 'MUG', qty: 1, unit_price: 40 }] }),
  shipped('s-A11', 'A11', 'SH-A11', T('06:00'), {
    warehouse: 'WH-WEST',
    carrier: 'ups',
    cost: 3.25,
    lines: [{ sku: 'MUG', qty: 1 }],
  }),
  ev('r-A11', 'return.requested', T('14:00'), {
    return_id: 'RT-A11',
    order_id: 'A11',
    lines: [{ sku: 'MUG', qty: 1, reason_code: 'size' }],
  }),
  // Yesterday: a pick and a shipment for the previous range.
  created('A12', Y('08:00'), {
    channel: 'web',
    region: 'west',
    ship_by: Y('10:00'),
    lines: [{ sku: 'TEE', qty: 3, unit_price: 20 }],
  }),
  shipped('s-A12', 'A12', 'SH-A12', Y('11:00'), {
    warehouse: 'WH-EAST',
    carrier: 'ups',
    cost: 6,
    lines: [{ sku: 'TEE', qty: 3 }],
  }),
  picked('k-A12', 'PK-A12', 'A12', Y('10:30'), 'WH-EAST', [{ sku: 'TEE', qty_required: 3, qty_picked: 3 }]),
];

/** Batch 2: the same events again (a producer's retry). */
const batch2 = batch1;

/**
 * Batch 3, late and out of order: A3's order.created after its shipment, a delivery before its
 * shipment is known (A13), the rejection of A10's return, a corrected pick, a second cancel of A7.
 */
const batch3: TestEvent[] = [
  created('A3', T('10:30'), {
    channel: 'web',
    region: 'east',
    ship_by: T('12:00'),
    lines: [{ sku: 'TEE', qty: 1, unit_price: 20 }],
  }),
  ev('x-A7-again', 'order.cancelled', T('11:00'), { order_id: 'A7', reason: 'changed_mind', initiated_by: 'customer' }),
  ev('rj-A10', 'return.rejected', T('15:00'), { return_id: 'RT-A10', reason: 'outside policy' }),
  picked('k-A2-fix', 'PK-A2', 'A2', T('11:30'), 'WH-WEST', [
    { sku: 'CAP', qty_required: 3, qty_picked: 2 },
    { sku: 'MUG', qty_required: 2, qty_picked: 2 },
  ]),
  ev('d-A13', 'order.delivered', T('15:00'), { order_id: 'A13', shipment_id: 'SH-A13' }),
  created('A13', Y('09:00'), {
    channel: 'b2b',
    region: 'south',
    ship_by: Y('18:00'),
    deliver_by: T('16:00'),
    lines: [{ sku: 'MUG', qty: 4, unit_price: 30 }],
  }),
  ev('d-A2', 'order.delivered', T('15:00'), { order_id: 'A2', shipment_id: 'SH-A2a' }),
];

/** Batch 4: A13's shipment, arriving after its delivery. */
const batch4: TestEvent[] = [
  shipped('s-A13', 'A13', 'SH-A13', Y('17:00'), {
    warehouse: 'WH-WEST',
    carrier: 'dhl',
    cost: 9,
    lines: [{ sku: 'MUG', qty: 4 }],
  }),
];

export const batches: TestEvent[][] = [batch1, batch2, batch3, batch4];
