import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBoardView } from '@/analytics/board/compute-board-view';
import { boardViewSchema } from '@/analytics/kpis/board-view';
import { openAnalytics, type Analytics } from '@/analytics/clickhouse';
import { migrateAnalytics } from '@/analytics/migrate';
import { getHealthCounts } from '@/analytics/queries/health-counts';
import { z } from 'zod';
import { createIngestService } from '@/ingest/ingest-service';
import { createInProcessBus } from '@/lib/bus/in-process-bus';

// 10,000 events through the real pipeline into real chDB: 5 % are re-sent duplicates, 1 % invalid.
// Every expected figure is computed below from the generated input in plain TypeScript.

const NOW = new Date('2026-03-10T15:30:00.000Z');
const DAY = Date.parse('2026-03-10T00:00:00Z');
const HOUR = 3_600_000;
const CHANNELS = ['web', 'amazon', 'zalando', 'b2b'];

interface Line {
  sku: string;
  qty: number;
  unit_price: string;
  discount?: number;
}
interface Ev {
  id: string;
  type: string;
  occurred_at: string;
  source: string;
  data: Record<string, unknown>;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function generate() {
  const rnd = random(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const iso = (ms: number) => new Date(ms).toISOString();
  const valid: Ev[] = [];
  const ev = (type: string, at: number, data: Record<string, unknown>) =>
    valid.push({ id: `p2b-${valid.length}`, type, occurred_at: iso(at), source: 'test', data });

  const facts = new Map<string, { created: number; lines: Line[]; promise?: number; shipped?: number; cancelled?: number }>();
  for (let n = 0; valid.length < 9_300; n++) {
    const order = `o-${n}`;
    // Two thirds of the orders are today's; the rest ten days ago, within the 30-day return cohort.
    const created = n % 3 === 2 ? DAY - 10 * 86_400_000 + rnd() * 12 * HOUR : DAY + rnd() * 15 * HOUR;
    const lines: Line[] = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, i) => ({
      sku: `SKU-${Math.floor(rnd() * 50)}-${i}`,
      qty: 1 + Math.floor(rnd() * 3),
      unit_price: (5 + Math.floor(rnd() * 9_000) / 100).toFixed(2),
      ...(rnd() < 0.2 ? { discount: 1.5 } : {}),
    }));
    const promise = rnd() < 0.8 ? created + (2 + rnd() * 6) * HOUR : undefined;
    ev('order.created', created, {
      order_id: order,
      channel: pick(CHANNELS),
      lines,
      ...(promise ? { promised_ship_by: iso(promise) } : {}),
    });
    const f: { created: number; lines: Line[]; promise?: number; shipped?: number; cancelled?: number } = { created, lines, promise };
    const fate = rnd();
    if (fate < 0.55) {
      const shippedAt = created + (1 + rnd() * 8) * HOUR;
      if (shippedAt <= NOW.getTime()) {
        f.shipped = shippedAt;
        ev('order.shipped', shippedAt, {
          order_id: order,
          shipment_id: `s-${n}`,
          warehouse: 'WH-EAST',
          carrier: 'ups',
          lines: lines.map((l) => ({ sku: l.sku, qty: l.qty })),
        });
        if (created < DAY && rnd() < 0.3) {
          const ret = `r-${n}`;
          ev('return.requested', shippedAt + 48 * HOUR, {
            return_id: ret,
            order_id: order,
            lines: [{ sku: lines[0].sku, qty: 1, reason_code: 'size' }],
          });
          if (rnd() < 0.25) ev('return.rejected', shippedAt + 50 * HOUR, { return_id: ret, reason: 'outside policy' });
        }
      }
    } else if (fate < 0.65) {
      f.cancelled = created + HOUR;
      if (f.cancelled <= NOW.getTime())
        ev('order.cancelled', f.cancelled, { order_id: order, reason: 'changed mind', initiated_by: 'customer' });
      else delete f.cancelled;
    }
    facts.set(order, f);
  }

  const invalid: unknown[] = Array.from({ length: 100 }, (_, i) =>
    i % 2
      ? { id: `bad-${i}`, type: 'order.created', occurred_at: iso(DAY), source: 'test', data: { order_id: `x-${i}`, channel: 'web', lines: [{ sku: 'A', qty: 0, unit_price: 1 }] } }
      : { id: `bad-${i}`, type: 'order.shipped', occurred_at: 'yesterday', source: 'test', data: {} },
  );
  const duplicates = Array.from({ length: 500 }, () => valid[Math.floor(rnd() * valid.length)]);
  // Out of order on purpose: shuffle everything, duplicates and invalid ones included.
  const all: unknown[] = [...valid, ...invalid, ...duplicates];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return { all, valid, invalid, duplicates, facts };
}

// The board's sales tiles; the other KPIs are checked by their own tests (tests/integration/kpis).
function expected(g: ReturnType<typeof generate>) {
  const today = (ms: number | undefined) => ms !== undefined && ms >= DAY && ms < DAY + 86_400_000;
  const todays = [...g.facts.values()].filter((o) => today(o.created));
  return {
    orders: todays.length,
    gross_sales: todays.reduce((s, o) => s + o.lines.reduce((t, l) => t + l.qty * Number(l.unit_price) - (l.discount ?? 0), 0), 0),
  };
}

let dataDir: string;
let analytics: Analytics;
const input = generate();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tower-p2b-'));
  analytics = await openAnalytics({ dataDir, maxMemoryBytes: 1024 ** 3 });
  await migrateAnalytics(analytics);
});

afterAll(async () => {
  await analytics?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('10,000 events through the pipeline to the board', () => {
  it('stores every valid event exactly once and every invalid one as a dead letter with its reason', async () => {
    expect(input.all.length).toBeGreaterThanOrEqual(9_900);
    const ingest = createIngestService({ analytics, bus: createInProcessBus() });
    let accepted = 0;
    let duplicates = 0;
    const rejected: { id: string | null; error: string }[] = [];
    // Concurrent producers, as in production: batches of 1,000 in flight together.
    const chunks = Array.from({ length: Math.ceil(input.all.length / 1_000) }, (_, i) => input.all.slice(i * 1_000, (i + 1) * 1_000));
    for (const r of await Promise.all(chunks.map((c) => ingest.submit(c, 'test')))) {
      accepted += r.accepted;
      duplicates += r.duplicates;
      rejected.push(...r.rejected);
    }
    await ingest.close();

    expect(accepted).toBe(input.valid.length + input.duplicates.length);
    expect(duplicates).toBe(input.duplicates.length);
    expect(rejected.map((r) => r.id).sort()).toEqual(input.invalid.map((e) => (e as { id: string }).id).sort());
    expect(rejected.every((r) => r.error.length > 10)).toBe(true);

    const health = await getHealthCounts(analytics);
    expect(health.events).toBe(input.valid.length);
    expect(health.deadLetters).toBe(input.invalid.length);

    const stored = await analytics.query({
      name: 'test.stored-ids',
      sql: 'SELECT id, count() AS n FROM events GROUP BY id HAVING n > 1',
      schema: z.object({ id: z.string(), n: z.coerce.number() }),
    });
    expect(stored).toEqual([]);
    const letters = await analytics.query({
      name: 'test.dead-letters',
      sql: 'SELECT event_id, reason, payload FROM dead_letters ORDER BY event_id',
      schema: z.object({ event_id: z.string(), reason: z.string(), payload: z.string() }),
    });
    expect(letters).toHaveLength(input.invalid.length);
    const qtyZero = letters.find((l) => l.event_id === 'bad-1');
    expect(qtyZero?.reason).toContain('data.lines[0].qty');
    expect(JSON.parse(qtyZero?.payload ?? '{}')).toEqual(input.invalid[1]);
  });

  it('shows the sales tiles’ figures computed from the input', async () => {
    const want = expected(input);
    expect(want.orders).toBeGreaterThan(2_000);
    const board = await computeBoardView({ analytics }, boardViewSchema.parse({}), NOW, new Map());
    const got = Object.fromEntries(board.tiles.map((t) => [t.key, t.value]));
    expect(got.orders).toBe(want.orders);
    expect(got.gross_sales).toBeCloseTo(want.gross_sales, 2);
  });
});
