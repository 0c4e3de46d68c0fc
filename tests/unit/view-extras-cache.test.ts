import { describe, expect, it } from 'vitest';
import { exceptionQueues, type ExceptionItem, type ExceptionQueue } from '@/lib/exceptions/exception-item';
import { exceptionViewSchema } from '@/lib/exceptions/exception-view';
import { createViewExtrasCache } from '@/lib/exceptions/view-extras-cache';

const counts = (n: number) => Object.fromEntries(exceptionQueues.map((q) => [q, n])) as Record<ExceptionQueue, number>;
const view = (q: Record<string, string>) => exceptionViewSchema.parse(q);

function counting(now: () => number) {
  const loads: string[] = [];
  let n = 0;
  const cache = createViewExtrasCache({
    maxAgeMs: 1_000,
    now,
    load: async (v) => {
      loads.push(JSON.stringify(v));
      return { counts: counts(++n) };
    },
  });
  return { cache, loads };
}

describe('view extras cache', () => {
  it('reads a view once until the items change, whatever the sort', async () => {
    const { cache, loads } = counting(() => 0);
    const first = await cache.get(view({ queue: 'order_holds' }));
    expect(await cache.get(view({ queue: 'order_holds', sort: 'value', dir: 'desc' }))).toEqual(first);
    expect(loads).toHaveLength(1);
    cache.invalidate();
    expect((await cache.get(view({ queue: 'order_holds' }))).counts.order_holds).toBe(2);
    expect(loads).toHaveLength(2);
  });

  it('keeps filtered views apart', async () => {
    const { cache, loads } = counting(() => 0);
    await cache.get(view({ queue: 'order_holds' }));
    await cache.get(view({ queue: 'order_holds', severity: 'high' }));
    await cache.get(view({ queue: 'order_holds', channel: 'web' }));
    await cache.get(view({ queue: 'order_holds', severity: 'high' }));
    expect(loads).toHaveLength(3);
  });

  it('reads again after maxAge, in case an announcement was lost', async () => {
    let t = 0;
    const { cache, loads } = counting(() => t);
    await cache.get(view({}));
    t = 999;
    await cache.get(view({}));
    t = 1_000;
    await cache.get(view({}));
    expect(loads).toHaveLength(2);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const cache = createViewExtrasCache({
      maxAgeMs: 60_000,
      load: async () => {
        if (fail) throw new Error('store down');
        return { counts: counts(1) };
      },
    });
    await expect(cache.get(view({}))).rejects.toThrow('store down');
    fail = false;
    expect((await cache.get(view({}))).counts.returns_refunds).toBe(1);
  });
});

describe('view extras cache: announced changes', () => {
  const item = (over: Partial<ExceptionItem>): ExceptionItem => ({
    id: 'x1',
    queue: 'order_holds',
    rule: 'order_on_hold',
    dedupeKey: 'hold:x1',
    severity: 'high',
    status: 'open',
    summary: 'held',
    valueAtRisk: 1,
    currency: 'USD',
    entities: [],
    warehouse: 'WH-NEW',
    channel: 'web',
    openedAt: '2026-05-20T10:00:00.000Z',
    slaDueAt: '2026-05-20T11:00:00.000Z',
    assigneeId: 'u9',
    assigneeName: 'Nine',
    snoozedUntil: null,
    resolvedAt: null,
    resolution: null,
    updatedAt: '2026-05-20T10:00:00.000Z',
    breachedAt: null,
    escalatedFrom: null,
    ...over,
  });
  const facets = { warehouses: ['WH-A'], channels: ['web'], assignees: [] };

  it('gives unfiltered views the announced counts and new filter values, without reading', async () => {
    let loads = 0;
    const cache = createViewExtrasCache({
      maxAgeMs: 60_000,
      load: async () => {
        loads += 1;
        return { counts: counts(1), facets };
      },
    });
    await cache.get(view({ queue: 'order_holds' }));
    cache.apply({
      upserted: [item({}), item({ id: 'x2', queue: 'carrier_issues', warehouse: 'WH-OTHER' })],
      resolvedIds: ['y'],
      counts: counts(7),
    });
    const after = await cache.get(view({ queue: 'order_holds', sort: 'sla' }));
    expect(loads).toBe(1);
    expect(after.counts.order_holds).toBe(7);
    expect(after.facets).toEqual({
      warehouses: ['WH-A', 'WH-NEW'],
      channels: ['web'],
      assignees: [{ id: 'u9', name: 'Nine' }],
    });
  });

  it('reads filtered views again after a change', async () => {
    let loads = 0;
    const cache = createViewExtrasCache({
      maxAgeMs: 60_000,
      load: async () => ({ counts: counts(++loads), facets }),
    });
    await cache.get(view({ queue: 'order_holds', severity: 'high' }));
    cache.apply({ upserted: [item({})], resolvedIds: [], counts: counts(99) });
    expect((await cache.get(view({ queue: 'order_holds', severity: 'high' }))).counts.order_holds).toBe(2);
  });

  it('with a counts reader, recounts only a filtered view’s counts and takes its new filter values from the change', async () => {
    let loads = 0;
    let counted = 0;
    const cache = createViewExtrasCache({
      maxAgeMs: 60_000,
      load: async () => ({ counts: counts(++loads), facets }),
      loadCounts: async () => counts(100 + ++counted),
    });
    const high = view({ queue: 'order_holds', severity: 'high' });
    await cache.get(high);
    cache.apply({ upserted: [item({})], resolvedIds: [], counts: counts(99) });
    cache.apply({ upserted: [item({ id: 'x3', channel: 'phone' })], resolvedIds: [], counts: counts(98) });
    const after = await cache.get(high);
    expect(after.counts.order_holds).toBe(101); // counted again, once for both changes; never the announced 98
    expect(after.facets?.warehouses).toEqual(['WH-A', 'WH-NEW']);
    expect(after.facets?.channels).toEqual(['phone', 'web']);
    expect((await cache.get(high)).counts.order_holds).toBe(101);
    expect([loads, counted]).toEqual([1, 1]);
  });
});
