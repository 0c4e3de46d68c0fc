import type { Return, Shipment, World } from './after-sales-fixture';

// The data behind returns-kpis.test.ts: what happened, as the events state it once corrected.
// Times are around 2026-03-10T15:30Z, the tests' "now".

export const world: World = {
  products: [
    { sku: 'TEE', category: 'apparel', unit_cost: 8 },
    { sku: 'MUG', category: 'home', unit_cost: 12 },
    { sku: 'CAP', category: 'apparel' },
    { sku: 'SOCK', category: 'apparel', unit_cost: 1 },
  ],
  orders: [
    {
      id: 'SO-1',
      at: '2026-03-08T10:00:00Z',
      channel: 'web',
      region: 'west',
      lines: [
        { sku: 'TEE', qty: 2, unit_price: 20, discount: 2, unit_cost: 7.5 },
        { sku: 'MUG', qty: 1, unit_price: 45 },
      ],
    },
    {
      id: 'SO-2',
      at: '2026-03-08T11:00:00Z',
      channel: 'amazon',
      region: 'east',
      lines: [{ sku: 'CAP', qty: 3, unit_price: 12, unit_cost: 5 }],
    },
    {
      id: 'SO-3',
      at: '2026-03-09T09:00:00Z',
      channel: 'web',
      region: 'east',
      lines: [{ sku: 'MUG', qty: 4, unit_price: 10, discount: 1 }],
    },
    {
      id: 'SO-4',
      at: '2026-03-02T12:00:00Z',
      channel: 'web',
      region: 'west',
      lines: [{ sku: 'TEE', qty: 5, unit_price: 20 }],
    },
    {
      id: 'SO-5',
      at: '2026-03-10T08:00:00Z',
      channel: 'b2b',
      region: 'south',
      lines: [
        { sku: 'SOCK', qty: 10, unit_price: 3 },
        { sku: 'TEE', qty: 1, unit_price: 20 },
      ],
    },
    {
      id: 'SO-6',
      at: '2026-03-07T09:00:00Z',
      channel: 'amazon',
      region: 'west',
      lines: [{ sku: 'TEE', qty: 1, unit_price: 20 }],
    },
  ],
  shipments: [
    {
      id: 'SH-1',
      order: 'SO-1',
      at: '2026-03-09T08:00:00Z',
      warehouse: 'east',
      carrier: 'ups',
      shipping_cost: 6,
      lines: [
        { sku: 'TEE', qty: 2 },
        { sku: 'MUG', qty: 1 },
      ],
    },
    {
      id: 'SH-2',
      order: 'SO-2',
      at: '2026-03-10T09:00:00Z',
      warehouse: 'west',
      carrier: 'fedex',
      shipping_cost: 3,
      lines: [{ sku: 'CAP', qty: 2 }],
    },
    {
      id: 'SH-3',
      order: 'SO-2',
      at: '2026-03-10T14:00:00Z',
      warehouse: 'east',
      carrier: 'ups',
      shipping_cost: 2,
      lines: [{ sku: 'CAP', qty: 1 }],
    },
    {
      id: 'SH-4',
      order: 'SO-3',
      at: '2026-03-09T15:00:00Z',
      warehouse: 'east',
      carrier: 'dhl',
      shipping_cost: 4,
      lines: [{ sku: 'MUG', qty: 4 }],
    },
    {
      id: 'SH-5',
      order: 'SO-4',
      at: '2026-03-03T10:00:00Z',
      warehouse: 'west',
      carrier: 'ups',
      shipping_cost: 7,
      lines: [{ sku: 'TEE', qty: 5 }],
    },
    {
      id: 'SH-6',
      order: 'SO-5',
      at: '2026-03-10T10:00:00Z',
      warehouse: 'west',
      carrier: 'ups',
      shipping_cost: 5,
      lines: [
        { sku: 'SOCK', qty: 10 },
        { sku: 'TEE', qty: 1 },
      ],
    },
  ],
  returns: [
    {
      id: 'R-1',
      order: 'SO-1',
      requested_at: '2026-03-09T20:00:00Z',
      lines: [
        { sku: 'TEE', qty: 1, reason_code: 'size' },
        { sku: 'MUG', qty: 1, reason_code: 'damaged' },
      ],
      received: {
        at: '2026-03-10T02:00:00Z',
        warehouse: 'east',
        lines: [
          { sku: 'TEE', qty: 1 },
          { sku: 'MUG', qty: 1 },
        ],
      },
      inspected: {
        at: '2026-03-10T12:00:00Z',
        lines: [
          { sku: 'TEE', qty: 1, disposition: 'restock', recovery_value: 18 },
          { sku: 'MUG', qty: 1, disposition: 'scrap', recovery_value: 0 },
        ],
      },
    },
    {
      id: 'R-2',
      order: 'SO-3',
      requested_at: '2026-03-10T01:00:00Z',
      lines: [{ sku: 'MUG', qty: 2, reason_code: 'changed_mind' }],
      received: { at: '2026-03-10T05:00:00Z', warehouse: 'east', lines: [{ sku: 'MUG', qty: 2 }] },
      inspected: {
        at: '2026-03-10T13:30:00Z',
        lines: [{ sku: 'MUG', qty: 2, disposition: 'liquidate', recovery_value: 5 }],
      },
    },
    {
      id: 'R-3',
      order: 'SO-2',
      requested_at: '2026-03-10T10:30:00Z',
      lines: [{ sku: 'CAP', qty: 1, reason_code: 'wrong_item' }],
      rejected_at: '2026-03-10T11:00:00Z',
    },
    {
      id: 'R-4',
      order: 'SO-4',
      requested_at: '2026-03-05T09:00:00Z',
      lines: [{ sku: 'TEE', qty: 2, reason_code: 'defective' }],
      received: { at: '2026-03-06T10:00:00Z', warehouse: 'west', lines: [{ sku: 'TEE', qty: 2 }] },
      // no recovery value stated: left out of the recovery rate, still written off in the margin
      inspected: { at: '2026-03-08T10:00:00Z', lines: [{ sku: 'TEE', qty: 2, disposition: 'refurbish' }] },
    },
    // never shipped: no ship cohort, so it does not count
    {
      id: 'R-5',
      order: 'SO-6',
      requested_at: '2026-03-08T12:00:00Z',
      lines: [{ sku: 'TEE', qty: 1, reason_code: 'late' }],
    },
    {
      id: 'R-6',
      order: 'SO-5',
      requested_at: '2026-03-10T11:00:00Z',
      lines: [
        { sku: 'SOCK', qty: 3, reason_code: 'size' },
        { sku: 'TEE', qty: 1, reason_code: 'colour' },
      ],
      received: {
        at: '2026-03-10T13:00:00Z',
        warehouse: 'west',
        lines: [
          { sku: 'SOCK', qty: 4 },
          { sku: 'TEE', qty: 1 },
        ],
      },
    },
  ],
  refunds: [
    {
      id: 'F-1',
      order: 'SO-1',
      return_id: 'R-1',
      amount: 64,
      requested_at: '2026-03-10T12:30:00Z',
      issued_at: '2026-03-10T14:00:00Z',
    },
    { id: 'F-2', order: 'SO-2', amount: 12, requested_at: '2026-03-09T10:00:00Z', issued_at: '2026-03-10T10:00:00Z' },
    {
      id: 'F-3',
      order: 'SO-3',
      return_id: 'R-2',
      amount: 20,
      requested_at: '2026-03-10T06:00:00Z',
      issued_at: '2026-03-10T06:30:00Z',
    },
    {
      id: 'F-4',
      order: 'SO-4',
      return_id: 'R-4',
      amount: 40,
      requested_at: '2026-03-06T12:00:00Z',
      rejected_at: '2026-03-07T09:00:00Z',
    },
    { id: 'F-5', order: 'SO-5', amount: 10, requested_at: '2026-03-01T09:00:00Z' },
    { id: 'F-6', order: 'SO-6', amount: 20, requested_at: '2026-03-08T10:00:00Z' },
    { id: 'F-7', order: 'SO-1', amount: 5, requested_at: '2026-02-01T09:00:00Z' },
    {
      id: 'F-8',
      order: 'SO-5',
      return_id: 'R-6',
      amount: 10,
      requested_at: '2026-03-10T13:10:00Z',
      issued_at: '2026-03-10T13:20:00Z',
    },
    // refunded before its return arrived: turnaround counts from the request
    {
      id: 'F-9',
      order: 'SO-4',
      return_id: 'R-4',
      amount: 3,
      requested_at: '2026-03-05T10:00:00Z',
      issued_at: '2026-03-05T22:00:00Z',
    },
  ],
};

// Corrections, sent under new event ids after the originals: a shipment re-stated with fewer
// units, and a return request re-stated with another quantity and reason.
export const shipmentFix: Shipment = { ...world.shipments[3], lines: [{ sku: 'MUG', qty: 3 }] };
export const returnFix: Return = {
  ...world.returns[5],
  lines: [
    { sku: 'SOCK', qty: 4, reason_code: 'size' },
    { sku: 'TEE', qty: 1, reason_code: 'colour' },
  ],
};
export const corrected: World = {
  ...world,
  shipments: world.shipments.map((s) => (s.id === shipmentFix.id ? shipmentFix : s)),
  returns: world.returns.map((r) => (r.id === returnFix.id ? returnFix : r)),
};
