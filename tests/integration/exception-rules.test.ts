import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import type { ExceptionRule } from '@/analytics/exceptions/exception-rule';
import { carrierException } from '@/analytics/exceptions/carrier-issues';
import { pickOverdue, shipLate, shortPick } from '@/analytics/exceptions/fulfilment-delays';
import { deadLetters } from '@/analytics/exceptions/integration-failures';
import { countVariance, stockSnapshotDrift } from '@/analytics/exceptions/inventory-discrepancies';
import { orderOnHold } from '@/analytics/exceptions/order-holds';
import {
  refundAwaitingApproval,
  refundBeforeInspection,
  returnAwaitingInspection,
} from '@/analytics/exceptions/returns-refunds';
import { backorderOpen, outOfStockWithDemand } from '@/analytics/exceptions/stock-shortages';
import { migrateAnalytics } from '@/analytics/migrate';
import { RULES } from '@/lib/exceptions/rule-catalogue';

// Each queue gets its own ids, so the cases share one engine without seeing each other.
const NOW = new Date('2026-05-20T12:00:00.000Z');
let a: Analytics;
let dataDir: string;
let seq = 0;

const ch = (iso: string) => iso.replace('T', ' ').replace('Z', '');
const at = (hoursBeforeNow: number) => new Date(NOW.getTime() - hoursBeforeNow * 3_600_000).toISOString();

/** Stores events as one insert (one block): each call is a separate, possibly late, arrival. */
async function arrive(...events: { type: string; at: string; data: Record<string, unknown> }[]): Promise<void> {
  await a.insert({
    name: 'test.events',
    table: 'events',
    rows: events.map((e) => ({
      id: `ev-${++seq}`,
      type: e.type,
      occurred_at: ch(e.at),
      received_at: ch(NOW.toISOString()),
      source: 'test',
      order_id: typeof e.data.order_id === 'string' ? e.data.order_id : '',
      data: e.data,
      attrs: {},
    })),
  });
}

async function keys(rule: ExceptionRule, orderIds?: string[], now = NOW): Promise<string[]> {
  const raised = await rule.evaluate(a, { now, settings: RULES[rule.name].defaults, orderIds });
  return raised.map((c) => c.dedupeKey).sort();
}
async function raised(rule: ExceptionRule, key: string) {
  const all = await rule.evaluate(a, { now: NOW, settings: RULES[rule.name].defaults });
  return all.find((c) => c.dedupeKey === key);
}

const created = (order: string, hoursAgo: number, extra: Record<string, unknown> = {}) => ({
  type: 'order.created',
  at: at(hoursAgo),
  data: {
    order_id: order,
    channel: 'web',
    currency: 'USD',
    lines: [{ sku: 'SKU-A', qty: 2, unit_price: 50 }],
    shipping_charged: 5,
    ...extra,
  },
});

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'exception-rules-'));
  a = await openAnalytics({ dataDir, maxMemoryBytes: 512 * 1024 * 1024 });
  await migrateAnalytics(a);
});
afterAll(async () => {
  await a?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('exception rules on chDB', () => {
  it('order holds: raised by a hold, cleared by a release that arrives before the hold it answers', async () => {
    await arrive({ type: 'order.held', at: at(3), data: { order_id: 'H-1', reason: 'fraud_review' } });
    await arrive(created('H-1', 4)); // late: created after the hold arrived
    await arrive(created('H-2', 4), { type: 'order.held', at: at(3), data: { order_id: 'H-2', reason: 'address' } });
    expect(await keys(orderOnHold)).toEqual(['hold:H-1', 'hold:H-2']);
    const h1 = await raised(orderOnHold, 'hold:H-1');
    expect(h1).toMatchObject({
      queue: 'order_holds',
      severity: 'high',
      valueAtRisk: 105,
      channel: 'web',
      beganAt: at(3),
    });
    expect(h1?.summary).toContain('fraud review');

    // A release timed before the hold (an older one, arriving late) does not clear it ...
    await arrive({ type: 'order.released', at: at(3.5), data: { order_id: 'H-1' } });
    expect(await keys(orderOnHold, ['H-1'])).toEqual(['hold:H-1']);
    // ... the release after it does; a cancellation clears H-2.
    await arrive({ type: 'order.released', at: at(1), data: { order_id: 'H-1' } });
    await arrive({
      type: 'order.cancelled',
      at: at(1),
      data: { order_id: 'H-2', reason: 'fraud', initiated_by: 'seller' },
    });
    expect(await keys(orderOnHold)).toEqual([]);
    // Held again later: a new cause at a new time.
    await arrive({ type: 'order.held', at: at(0.5), data: { order_id: 'H-1', reason: 'payment' } });
    expect((await raised(orderOnHold, 'hold:H-1'))?.beganAt).toBe(at(0.5));
  });

  it('stock shortages: an open backorder, and the SKU out of stock where it waits, both clear on allocation', async () => {
    await arrive({
      type: 'order.backordered',
      at: at(5),
      data: { order_id: 'B-1', warehouse: 'east', lines: [{ sku: 'SKU-OOS', qty_short: 3 }] },
    });
    await arrive(created('B-1', 6, { lines: [{ sku: 'SKU-OOS', qty: 3, unit_price: 100 }] }));
    await arrive({
      type: 'stock.snapshot',
      at: at(2),
      data: { warehouse: 'east', sku: 'SKU-OOS', on_hand: 4, reserved: 4 },
    });
    expect(await keys(backorderOpen)).toEqual(['backorder:B-1']);
    expect(await raised(backorderOpen, 'backorder:B-1')).toMatchObject({ valueAtRisk: 305, warehouse: 'east' });
    expect((await raised(backorderOpen, 'backorder:B-1'))?.summary).toContain('3 × SKU-OOS short at east');
    expect(await keys(outOfStockWithDemand)).toEqual(['oos:east:SKU-OOS']);

    // Stock arrives and the order is allocated; an allocation older than the backorder would not count.
    await arrive({
      type: 'order.allocated',
      at: at(5.5),
      data: { order_id: 'B-1', warehouse: 'east', lines: [{ sku: 'SKU-OOS', qty: 3 }] },
    });
    expect(await keys(backorderOpen)).toEqual(['backorder:B-1']);
    await arrive({
      type: 'order.allocated',
      at: at(1),
      data: { order_id: 'B-1', warehouse: 'east', lines: [{ sku: 'SKU-OOS', qty: 3 }] },
    });
    expect(await keys(backorderOpen)).toEqual([]);
    expect(await keys(outOfStockWithDemand)).toEqual([]);
  });

  it('fulfilment delays: past promised ship time, pick overdue, short pick; each clears when the order ships', async () => {
    await arrive(created('F-1', 30, { promised_ship_by: at(6) }), created('F-2', 30, { promised_ship_by: at(-6) }));
    await arrive({
      type: 'pick.created',
      at: at(8),
      data: { pick_id: 'P-1', order_id: 'F-1', warehouse: 'west', lines: [{ sku: 'SKU-A', qty: 2 }], due_by: at(7) },
    });
    await arrive({
      type: 'pick.created',
      at: at(8),
      data: { pick_id: 'P-2', order_id: 'F-2', warehouse: 'west', lines: [{ sku: 'SKU-A', qty: 2 }], due_by: at(7) },
    });
    await arrive({
      type: 'pick.completed',
      at: at(6.5),
      data: {
        pick_id: 'P-2',
        order_id: 'F-2',
        warehouse: 'west',
        lines: [{ sku: 'SKU-A', qty_required: 2, qty_picked: 1 }],
      },
    });
    expect(await keys(shipLate)).toEqual(['ship-late:F-1']);
    expect(await raised(shipLate, 'ship-late:F-1')).toMatchObject({
      queue: 'fulfilment_delays',
      beganAt: at(6),
      severity: 'medium',
    });
    expect(await keys(pickOverdue)).toEqual(['pick-overdue:P-1']);
    expect(await keys(shortPick)).toEqual(['short-pick:P-2']);
    expect(await raised(shortPick, 'short-pick:P-2')).toMatchObject({ valueAtRisk: 52.5, warehouse: 'west' });
    // Time moves on: F-2 becomes late too.
    expect(await keys(shipLate, undefined, new Date(NOW.getTime() + 7 * 3_600_000))).toEqual([
      'ship-late:F-1',
      'ship-late:F-2',
    ]);

    // The shipment of F-1 arrives before its pick completion does (out of order).
    await arrive({
      type: 'order.shipped',
      at: at(1),
      data: {
        order_id: 'F-1',
        shipment_id: 'SH-F1',
        warehouse: 'west',
        carrier: 'ups',
        lines: [{ sku: 'SKU-A', qty: 2 }],
      },
    });
    expect(await keys(shipLate, ['F-1'])).toEqual([]);
    expect(await keys(pickOverdue)).toEqual([]);
    await arrive({
      type: 'order.cancelled',
      at: at(1),
      data: { order_id: 'F-2', reason: 'short', initiated_by: 'seller' },
    });
    expect(await keys(shortPick)).toEqual([]);
  });

  it('carrier issues: a lost shipment stays raised until a later delivery', async () => {
    await arrive(created('C-1', 50));
    await arrive({
      type: 'shipment.exception',
      at: at(10),
      data: { shipment_id: 'SH-C1', order_id: 'C-1', carrier: 'dhl', kind: 'lost' },
    });
    await arrive({
      type: 'order.shipped',
      at: at(40),
      data: {
        order_id: 'C-1',
        shipment_id: 'SH-C1',
        warehouse: 'north',
        carrier: 'dhl',
        lines: [{ sku: 'SKU-A', qty: 2 }],
      },
    });
    expect(await raised(carrierException, 'carrier:SH-C1')).toMatchObject({
      severity: 'high',
      warehouse: 'north',
      valueAtRisk: 105,
      beganAt: at(10),
    });
    await arrive({ type: 'order.delivered', at: at(2), data: { order_id: 'C-1', shipment_id: 'SH-C1' } });
    expect(await keys(carrierException)).toEqual([]);
  });

  it('returns and refunds: awaiting inspection, awaiting approval, refund issued before inspection', async () => {
    await arrive({
      type: 'return.received',
      at: at(60),
      data: { return_id: 'R-1', warehouse: 'east', lines: [{ sku: 'SKU-A', qty: 1, condition: 'good' }] },
    });
    await arrive({
      type: 'return.requested',
      at: at(70),
      data: { return_id: 'R-1', order_id: 'RO-1', lines: [{ sku: 'SKU-A', qty: 1, reason_code: 'size' }] },
    });
    await arrive({ type: 'refund.issued', at: at(30), data: { refund_id: 'RF-1', order_id: 'RO-1', amount: 49.5 } });
    await arrive({
      type: 'refund.requested',
      at: at(65),
      data: { refund_id: 'RF-1', order_id: 'RO-1', amount: 49.5, return_id: 'R-1' },
    });
    await arrive({ type: 'refund.requested', at: at(30), data: { refund_id: 'RF-2', order_id: 'RO-2', amount: 700 } });
    expect(await keys(returnAwaitingInspection)).toEqual(['return-inspection:R-1']);
    expect(await raised(returnAwaitingInspection, 'return-inspection:R-1')).toMatchObject({
      warehouse: 'east',
      valueAtRisk: 49.5,
    });
    expect(await keys(refundAwaitingApproval)).toEqual(['refund-approval:RF-2']);
    expect(await raised(refundAwaitingApproval, 'refund-approval:RF-2')).toMatchObject({
      severity: 'high',
      valueAtRisk: 700,
    });
    expect(await keys(refundBeforeInspection)).toEqual(['refund-early:RF-1']);
    expect(await raised(refundBeforeInspection, 'refund-early:RF-1')).toMatchObject({
      valueAtRisk: 49.5,
      beganAt: at(30),
      severity: 'high',
    });

    await arrive({
      type: 'return.inspected',
      at: at(1),
      data: { return_id: 'R-1', lines: [{ sku: 'SKU-A', qty: 1, disposition: 'restock' }] },
    });
    await arrive({ type: 'refund.approved', at: at(1), data: { refund_id: 'RF-2' } });
    expect(await keys(returnAwaitingInspection)).toEqual([]);
    expect(await keys(refundBeforeInspection)).toEqual([]);
    expect(await keys(refundAwaitingApproval)).toEqual([]);
  });

  it('inventory discrepancies: count variance beyond tolerance, and event stock that disagrees with the snapshot', async () => {
    await arrive({
      type: 'stock.received',
      at: at(100),
      data: { warehouse: 'inv', sku: 'SKU-C', qty: 100, unit_cost: 20 },
    });
    await arrive({
      type: 'stock.adjusted',
      at: at(5),
      data: {
        warehouse: 'inv',
        sku: 'SKU-C',
        qty_delta: -10,
        reason: 'cycle_count',
        expected_qty: 100,
        counted_qty: 90,
      },
    });
    await arrive({
      type: 'stock.adjusted',
      at: at(5),
      data: {
        warehouse: 'inv',
        sku: 'SKU-D',
        qty_delta: -1,
        reason: 'cycle_count',
        expected_qty: 100,
        counted_qty: 99,
      },
    });
    expect(await keys(countVariance)).toEqual(['count:inv:SKU-C']);
    expect(await raised(countVariance, 'count:inv:SKU-C')).toMatchObject({ valueAtRisk: 200, warehouse: 'inv' });
    // A recount within tolerance clears it, even when an older count arrives after it.
    await arrive({
      type: 'stock.adjusted',
      at: at(2),
      data: { warehouse: 'inv', sku: 'SKU-C', qty_delta: 2, reason: 'cycle_count', expected_qty: 90, counted_qty: 92 },
    });
    await arrive({
      type: 'stock.adjusted',
      at: at(20),
      data: {
        warehouse: 'inv',
        sku: 'SKU-C',
        qty_delta: -50,
        reason: 'cycle_count',
        expected_qty: 100,
        counted_qty: 50,
      },
    });
    expect(await keys(countVariance)).toEqual([]);

    // Snapshots 40 then 33; between them 10 received, 12 shipped, 2 transferred out: events say 36.
    await arrive({
      type: 'stock.snapshot',
      at: at(10),
      data: { warehouse: 'inv', sku: 'SKU-S', on_hand: 40, reserved: 0 },
    });
    await arrive({
      type: 'stock.snapshot',
      at: at(4),
      data: { warehouse: 'inv', sku: 'SKU-S', on_hand: 33, reserved: 0 },
    });
    await arrive(
      { type: 'stock.received', at: at(9), data: { warehouse: 'inv', sku: 'SKU-S', qty: 10, unit_cost: 7 } },
      {
        type: 'order.shipped',
        at: at(8),
        data: {
          order_id: 'I-1',
          shipment_id: 'SH-I1',
          warehouse: 'inv',
          carrier: 'ups',
          lines: [{ sku: 'SKU-S', qty: 12 }],
        },
      },
      {
        type: 'stock.transferred',
        at: at(7),
        data: { transfer_id: 'T-1', from_warehouse: 'inv', to_warehouse: 'far', sku: 'SKU-S', qty: 2 },
      },
      { type: 'stock.received', at: at(3), data: { warehouse: 'inv', sku: 'SKU-S', qty: 5, unit_cost: 7 } }, // after the snapshot: not counted
    );
    expect(await keys(stockSnapshotDrift)).toEqual(['drift:inv:SKU-S']);
    expect(await raised(stockSnapshotDrift, 'drift:inv:SKU-S')).toMatchObject({ valueAtRisk: 21, beganAt: at(4) });
    expect((await raised(stockSnapshotDrift, 'drift:inv:SKU-S'))?.summary).toContain(
      'the core counts 33, events say 36',
    );
    // The missing movement arrives late: a restock at inspection of a return received at inv.
    await arrive({
      type: 'return.received',
      at: at(7),
      data: { return_id: 'R-INV', warehouse: 'inv', lines: [{ sku: 'SKU-S', qty: 3, condition: 'damaged' }] },
    });
    await arrive({
      type: 'stock.adjusted',
      at: at(6),
      data: { warehouse: 'inv', sku: 'SKU-S', qty_delta: -3, reason: 'damage' },
    });
    expect(await keys(stockSnapshotDrift)).toEqual([]);
  });

  it('integration failures: dead letters per source and type within the window', async () => {
    const letter = (hoursAgo: number, source: string, type: string) => ({
      received_at: ch(at(hoursAgo)),
      source,
      event_id: `dl-${++seq}`,
      event_type: type,
      reason: 'data.lines[0].qty: expected integer >= 1',
      payload: '{}',
    });
    await a.insert({
      name: 'test.dead',
      table: 'dead_letters',
      rows: [
        letter(2, 'odoo', 'order.created'),
        letter(1, 'odoo', 'order.created'),
        letter(30, 'shopify', 'order.shipped'),
      ],
    });
    expect(await keys(deadLetters)).toEqual(['dead-letters:odoo:order.created']);
    expect((await raised(deadLetters, 'dead-letters:odoo:order.created'))?.summary).toMatch(
      /^2 dead letters from odoo \(order.created\)/,
    );
    expect(await keys(deadLetters, undefined, new Date(NOW.getTime() + 24 * 3_600_000))).toEqual([]);
  });
});
