import { describe, expect, it } from 'vitest';
import { actionsForException } from '@/lib/actions/actions-for-exception';
import type { ExceptionItem } from '@/lib/exceptions/exception-item';
import { applyChange, type ExceptionList } from '@/lib/exceptions/exception-feed';
import { formatDuration, slaLeftMs } from '@/lib/exceptions/exception-timing';

const counts = {
  order_holds: 0,
  stock_shortages: 0,
  fulfilment_delays: 0,
  carrier_issues: 0,
  returns_refunds: 0,
  inventory_discrepancies: 0,
  integration_failures: 0,
};

function item(over: Partial<ExceptionItem>): ExceptionItem {
  return {
    id: 'x1',
    queue: 'order_holds',
    rule: 'order_on_hold',
    dedupeKey: 'hold:SO-1',
    severity: 'high',
    status: 'open',
    summary: 'SO-1 on hold',
    valueAtRisk: 120,
    currency: 'USD',
    entities: [{ kind: 'order', id: 'SO-1' }],
    warehouse: 'WH-EAST',
    channel: 'web',
    openedAt: '2026-11-23T10:00:00.000Z',
    slaDueAt: '2026-11-23T14:00:00.000Z',
    assigneeId: null,
    assigneeName: null,
    snoozedUntil: null,
    resolvedAt: null,
    resolution: null,
    updatedAt: '2026-11-23T10:00:00.000Z',
    ...over,
  };
}

describe('a pushed change folded into a queue the browser holds', () => {
  const list: ExceptionList = { items: [item({ id: 'a' }), item({ id: 'b' })], counts };

  it('adds new items of this queue, replaces changed ones and drops removed ones', () => {
    const next = applyChange(list, 'order_holds', {
      upserted: [item({ id: 'c' }), item({ id: 'a', status: 'claimed', assigneeName: 'Ana' })],
      resolvedIds: ['b'],
      counts: { ...counts, order_holds: 2 },
    });
    expect(next.items.map((i) => i.id).sort()).toEqual(['a', 'c']);
    expect(next.items.find((i) => i.id === 'a')?.assigneeName).toBe('Ana');
    expect(next.counts.order_holds).toBe(2);
  });

  it('drops an item that was resolved or belongs to another queue', () => {
    const next = applyChange(list, 'order_holds', {
      upserted: [item({ id: 'a', status: 'resolved' }), item({ id: 'b', queue: 'carrier_issues' }), item({ id: 'z', queue: 'carrier_issues' })],
      resolvedIds: [],
      counts,
    });
    expect(next.items).toEqual([]);
  });
});

describe('timing shown in the queue', () => {
  it('counts SLA time left, negative once breached, and formats it for a person', () => {
    const now = Date.parse('2026-11-23T15:30:00Z');
    expect(slaLeftMs(item({}), now)).toBe(-90 * 60_000);
    expect(formatDuration(-90 * 60_000)).toBe('−1h 30m');
    expect(formatDuration(45 * 60_000)).toBe('45m');
    expect(formatDuration(50 * 3_600_000)).toBe('2d 2h');
  });
});

describe('the actions offered for an exception', () => {
  it('offers release and cancel for a held order, with the order id filled in', () => {
    const offers = actionsForException(item({}));
    expect(offers.map((o) => o.action)).toEqual(['release_hold', 'cancel_order']);
    expect(offers[0]?.known).toEqual({ orderId: 'SO-1' });
    expect(offers[1]?.ask).toEqual(['reason']);
  });

  it('offers refund decisions for a refund and a count for a discrepancy', () => {
    const refund = item({ queue: 'returns_refunds', entities: [{ kind: 'refund', id: 'RF-1' }, { kind: 'order', id: 'SO-1' }] });
    expect(actionsForException(refund).map((o) => o.action)).toEqual([
      'approve_refund',
      'reject_refund',
    ]);
    const count = actionsForException(item({ queue: 'inventory_discrepancies', entities: [{ kind: 'sku', id: 'APP-TOP-0001' }], warehouse: 'WH-WEST' }));
    expect(count).toEqual([{ action: 'post_stock_count', known: { sku: 'APP-TOP-0001', warehouse: 'WH-WEST' }, ask: ['countedQty'] }]);
  });

  it('offers nothing for a dead letter: it is fixed and replayed, not acted on in the core', () => {
    expect(actionsForException(item({ queue: 'integration_failures', entities: [{ kind: 'dead_letter', id: 'dl-1' }], warehouse: null }))).toEqual([]);
  });
});
