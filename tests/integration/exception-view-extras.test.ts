import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as listRoute from '@/app/api/exceptions/route';
import { countOpenByQueue } from '@/lib/exceptions/exception-queries';
import { exceptionPageSchema } from '@/lib/exceptions/exception-feed';
import type { RaisedCondition } from '@/lib/exceptions/raised-condition';
import { reconcileConditions } from '@/lib/exceptions/reconcile-conditions';
import { openPgSchemaStore } from '../support/pg-schema';
import { startRouteHarness, type RouteHarness } from '../support/route-harness';

// The queue's tab counts and filter values are kept by the web from the announced changes, not
// recounted with every first page: what the store holds shows once a change is announced.
let pgStore: Awaited<ReturnType<typeof openPgSchemaStore>>;
let h: RouteHarness;
let seq = 0;

beforeAll(async () => {
  pgStore = await openPgSchemaStore('view_extras');
  h = await startRouteHarness(pgStore.store);
});
afterAll(async () => {
  await pgStore?.drop();
});

/** Opens items as the engine's reconciliation does, without announcing them. */
async function open(n: number, warehouse: string) {
  const raised: RaisedCondition[] = Array.from({ length: n }, () => {
    const order = `SO-EXTRAS-${++seq}`;
    return {
      queue: 'order_holds',
      rule: 'extras_hold',
      dedupeKey: `hold:${order}`,
      severity: 'high',
      summary: `Order ${order} on hold`,
      valueAtRisk: 10,
      currency: 'USD',
      entities: [{ kind: 'order', id: order }],
      warehouse,
      channel: 'web',
      beganAt: '2026-05-20T10:00:00.000Z',
    };
  });
  const { upserted } = await reconcileConditions(
    pgStore.store.db,
    { rule: 'extras_hold', orderIds: raised.map((r) => r.entities[0].id) },
    raised,
    {
      now: new Date(),
      slaMinutes: 60,
    },
  );
  return upserted;
}

async function firstPage(query: string) {
  const res = await listRoute.GET(h.request('GET', `/api/exceptions?${query}`, 'ops_lead'));
  expect(res.status).toBe(200);
  return exceptionPageSchema.parse(await res.json());
}

describe('queue counts and filter values', () => {
  it('are kept from announced changes rather than recounted per first page', async () => {
    await open(3, 'WH-1');
    await firstPage('queue=order_holds'); // starts listening to the announcements
    await new Promise((r) => setTimeout(r, 50));
    expect((await firstPage('queue=order_holds')).counts?.order_holds).toBe(3);
    expect((await firstPage('queue=order_holds&severity=high')).counts?.order_holds).toBe(3);

    // Stored but not yet announced: the kept numbers stand (a recount would see 5).
    const opened = await open(2, 'WH-2');
    expect((await firstPage('queue=order_holds&sort=value')).counts?.order_holds).toBe(3);

    // Announced as the engine does, with the counts after the change.
    await h.bus.publish('exceptions', {
      at: new Date().toISOString(),
      upserted: opened,
      resolvedIds: [],
      counts: await countOpenByQueue(pgStore.store.db),
    });
    const after = await firstPage('queue=order_holds');
    expect(after.counts?.order_holds).toBe(5);
    expect(after.facets?.warehouses).toEqual(['WH-1', 'WH-2']);
    // A filtered view cannot be updated from an announcement: it is counted again.
    expect((await firstPage('queue=order_holds&severity=high')).counts?.order_holds).toBe(5);
  });
});
