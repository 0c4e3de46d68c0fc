import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import type { KeyRange } from './ledger-family';

/** Sampled order lines per part: enough that parts come out within a few per cent of each other. */
const SAMPLES_PER_PART = 64;

/**
 * About `parts` ranges of order ids, together covering every id, cut at a sample of the orders
 * stored. The order facts tables are ordered by order id, so a rebuild part restricted to a range
 * reads only its own granules of each, where a part by hash of the id reads every table whole: at
 * 100 M events order fulfilment's 49 parts by hash took an hour, each longer as the tables grew.
 */
export async function orderIdRanges(analytics: Analytics, parts: number): Promise<KeyRange[]> {
  const [stored] = await analytics.query({
    name: 'kpi-ledger.orders-stored',
    sql: 'SELECT count() AS rows FROM order_lines',
    schema: z.object({ rows: z.coerce.number() }),
  });
  const step = Math.max(1, Math.floor((stored?.rows ?? 0) / (parts * SAMPLES_PER_PART)));
  const sample = await analytics.query({
    name: 'kpi-ledger.order-id-sample',
    sql: 'SELECT DISTINCT order_id FROM order_lines WHERE cityHash64(order_id) % {step:UInt64} = 0 ORDER BY order_id',
    params: { step },
    schema: z.object({ order_id: z.string() }),
    timeoutMs: 10 * 60_000,
  });
  const cuts: string[] = [];
  for (let i = 1; i < parts; i++) {
    const cut = sample[Math.floor((i * sample.length) / parts)]?.order_id;
    if (cut !== undefined && cut !== cuts.at(-1) && cut !== sample[0]?.order_id) cuts.push(cut);
  }
  return [...cuts, null].map((to, i) => ({ from: i === 0 ? null : cuts[i - 1], to }));
}
