import { describe, expect, it } from 'vitest';
import { actionsForException } from '@/lib/actions/actions-for-exception';
import type { ExceptionItem } from '@/lib/exceptions/exception-item';
import { applyChangeToPages, loadedPage, type LoadedPage } from '@/lib/exceptions/apply-change';
import { compareInView, matchesView, type ExceptionView } from '@/lib/exceptions/exception-view';
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
    breachedAt: null,
    escalatedFrom: null,
    ...over,
  };
}

const view = (over: Partial<ExceptionView> = {}): ExceptionView => ({ queue: 'order_holds', status: 'unresolved', sort: 'value', dir: 'desc', ...over });
const ids = (pages: LoadedPage[]) => pages.map((p) => p.items.map((i) => i.id));
/** Two loaded pages of a value-descending view (values 90…60, then 50…30), more to come after. */
function twoPages(): LoadedPage[] {
  const first = [item({ id: 'a', valueAtRisk: 90 }), item({ id: 'b', valueAtRisk: 80 }), item({ id: 'c', valueAtRisk: 60 })];
  const second = [item({ id: 'd', valueAtRisk: 50 }), item({ id: 'e', valueAtRisk: 30 })];
  return [
    loadedPage({ items: first, nextCursor: 'after-c', counts, facets: { warehouses: ['WH-EAST'], channels: ['web'], assignees: [] } }),
    loadedPage({ items: second, nextCursor: 'after-e' }),
  ];
}

describe('a pushed change folded into the pages a browser holds', () => {
  it('puts a new item at its place in the order, in the page whose range holds it', () => {
    const next = applyChangeToPages(twoPages(), view(), {
      upserted: [item({ id: 'n1', valueAtRisk: 85 }), item({ id: 'n2', valueAtRisk: 55 }), item({ id: 'n3', valueAtRisk: 60 })],
      resolvedIds: [],
      counts: { ...counts, order_holds: 9 },
    });
    // 55 sorts after c (60), the first page's last row, so it belongs to the second page; n3 ties
    // with c on value and its id sorts after c's, which in a descending view puts it first.
    expect(ids(next)).toEqual([['a', 'n1', 'b', 'n3', 'c'], ['n2', 'd', 'e']]);
    expect(next[0]?.counts?.order_holds).toBe(9);
  });

  it('leaves an item beyond the loaded pages to the page that will bring it', () => {
    const next = applyChangeToPages(twoPages(), view(), { upserted: [item({ id: 'far', valueAtRisk: 5 })], resolvedIds: [], counts });
    expect(ids(next)).toEqual([['a', 'b', 'c'], ['d', 'e']]);
    const last = applyChangeToPages([loadedPage({ items: [item({ id: 'a', valueAtRisk: 90 })], nextCursor: null })], view(), { upserted: [item({ id: 'far', valueAtRisk: 5 })], resolvedIds: [], counts });
    expect(ids(last)).toEqual([['a', 'far']]);
  });

  it('drops resolved items, moves a changed one, and removes one that no longer fits the view', () => {
    const next = applyChangeToPages(twoPages(), view({ channel: 'web' }), {
      upserted: [item({ id: 'd', valueAtRisk: 95 }), item({ id: 'b', channel: 'b2b' }), item({ id: 'e', status: 'resolved' })],
      resolvedIds: ['a'],
      counts: { ...counts, order_holds: 1 },
    });
    expect(ids(next)).toEqual([['d', 'c'], []]);
    // A filtered view keeps the counts its own request returned: the pushed ones are per queue.
    expect(next[0]?.counts?.order_holds).toBe(0);
  });

  it('ignores items of other queues and offers new filter values as items carrying them arrive', () => {
    const next = applyChangeToPages(twoPages(), view(), {
      upserted: [item({ id: 'x', queue: 'carrier_issues', warehouse: 'WH-NORTH' }), item({ id: 'y', valueAtRisk: 1, warehouse: 'WH-WEST', assigneeId: 'u1', assigneeName: 'Ana' })],
      resolvedIds: [],
      counts,
    });
    expect(ids(next)).toEqual([['a', 'b', 'c'], ['d', 'e']]);
    expect(next[0]?.facets).toEqual({ warehouses: ['WH-EAST', 'WH-WEST'], channels: ['web'], assignees: [{ id: 'u1', name: 'Ana' }] });
  });
});

describe('the order and the filters of a view, as the server applies them', () => {
  const a = item({ id: 'a', severity: 'high', slaDueAt: '2026-11-23T12:00:00.000Z', openedAt: '2026-11-23T09:00:00.000Z' });
  const b = item({ id: 'b', severity: 'critical', slaDueAt: '2026-11-23T13:00:00.000Z', openedAt: '2026-11-23T10:00:00.000Z' });
  const c = item({ id: 'c', severity: 'critical', slaDueAt: '2026-11-23T13:00:00.000Z', openedAt: '2026-11-23T10:00:00.000Z' });
  const sorted = (v: ExceptionView) => [c, a, b].sort((x, y) => compareInView(v, x, y)).map((i) => i.id);

  it('sorts most severe first, then by SLA, then by id; descending reverses all of it', () => {
    expect(sorted(view({ sort: 'severity', dir: 'asc' }))).toEqual(['b', 'c', 'a']);
    expect(sorted(view({ sort: 'severity', dir: 'desc' }))).toEqual(['a', 'c', 'b']);
  });

  it('reads age ascending as youngest first', () => {
    expect(sorted(view({ sort: 'age', dir: 'asc' }))).toEqual(['c', 'b', 'a']);
    expect(sorted(view({ sort: 'sla', dir: 'asc' }))).toEqual(['a', 'b', 'c']);
  });

  it('matches status, assignee and the other filters', () => {
    expect(matchesView(view(), item({ status: 'snoozed' }))).toBe(true);
    expect(matchesView(view(), item({ status: 'resolved' }))).toBe(false);
    expect(matchesView(view({ status: 'claimed' }), item({ status: 'open' }))).toBe(false);
    expect(matchesView(view({ assignee: 'none' }), item({ assigneeId: 'u1' }))).toBe(false);
    expect(matchesView(view({ assignee: 'u1', severity: 'high' }), item({ assigneeId: 'u1' }))).toBe(true);
    expect(matchesView(view({ warehouse: 'WH-WEST' }), item({}))).toBe(false);
    expect(matchesView(view({ queue: 'carrier_issues' }), item({}))).toBe(false);
    const breached = item({ breachedAt: '2026-11-23T14:00:00.000Z', escalatedFrom: 'medium' });
    expect(matchesView(view({ breached: 'yes' }), breached)).toBe(true);
    expect(matchesView(view({ breached: 'yes' }), item({}))).toBe(false);
    expect(matchesView(view({ breached: 'no' }), breached)).toBe(false);
    expect(matchesView(view({ breached: 'no' }), item({}))).toBe(true);
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
