import { describe, expect, it } from 'vitest';
import { BatchQueue, type Batch } from '@/ingest/batch-queue';
import type { EventRow } from '@/ingest/pipeline/event-row';

const row = (id: string): EventRow => ({
  id,
  type: 'order.delivered',
  occurred_at: '2025-03-01 00:00:00.000',
  received_at: '2025-03-01 00:00:00.000',
  source: 's',
  order_id: '',
  data: {},
  attrs: {},
});
const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => row(`${prefix}${i}`));

function recordingQueue(o: { maxBatchRows: number; maxBatchDelayMs: number; maxWriteRows?: number; fail?: boolean }) {
  const written: string[][] = [];
  const queue = new BatchQueue({
    ...o,
    write: async (batch: Batch) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (o.fail) throw new Error('engine down');
      written.push(batch.rows.map((r) => r.id));
    },
  });
  return { queue, written };
}

describe('batch queue', () => {
  it('writes an expedited batch at once, marked urgent, instead of waiting out the delay', async () => {
    const urgency: boolean[] = [];
    const queue = new BatchQueue({
      maxBatchRows: 100,
      maxBatchDelayMs: 60_000,
      write: async (batch) => void urgency.push(batch.urgent),
    });
    const started = Date.now();
    const batches = queue.add(rows('u', 2), { duplicates: 0 }, []);
    queue.expedite(batches);
    await Promise.all(batches.map((b) => b.done));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(urgency).toEqual([true]);
    // What comes next collects as usual.
    const later = queue.add(rows('r', 1), { duplicates: 0 }, []);
    expect(later[0]?.urgent).toBe(false);
    await queue.flush();
    expect(urgency).toEqual([true, false]);
  });

  it('writes a batch as soon as it reaches the size limit, splitting a large submission', async () => {
    const { queue, written } = recordingQueue({ maxBatchRows: 3, maxBatchDelayMs: 60_000 });
    const batches = queue.add(rows('a', 7), { duplicates: 0 }, []);
    expect(batches.length).toBe(3);
    await Promise.all(batches.slice(0, 2).map((b) => b.done));
    expect(written.map((w) => w.length)).toEqual([3, 3]);
    await queue.flush();
    expect(written.map((w) => w.length)).toEqual([3, 3, 1]);
    expect(queue.queuedRows).toBe(0);
  });

  it('writes a partial batch after the delay', async () => {
    const { queue, written } = recordingQueue({ maxBatchRows: 100, maxBatchDelayMs: 30 });
    const started = Date.now();
    const [batch] = queue.add(rows('b', 2), { duplicates: 0 }, []);
    expect(queue.queuedRows).toBe(2);
    await batch.done;
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(written).toEqual([['b0', 'b1']]);
  });

  it('knows which batch holds an id until it is written', async () => {
    const { queue } = recordingQueue({ maxBatchRows: 100, maxBatchDelayMs: 10 });
    const [batch] = queue.add([row('x')], { duplicates: 0 }, []);
    expect(queue.batchHolding('x')).toBe(batch);
    await batch.done;
    expect(queue.batchHolding('x')).toBeUndefined();
  });

  it('rejects the batch when the write fails and frees its ids for a retry', async () => {
    const { queue } = recordingQueue({ maxBatchRows: 2, maxBatchDelayMs: 10, fail: true });
    const [batch] = queue.add(rows('f', 2), { duplicates: 0 }, []);
    await expect(batch.done).rejects.toThrow('engine down');
    expect(queue.batchHolding('f0')).toBeUndefined();
    expect(queue.queuedRows).toBe(0);
  });

  it('writes batches one at a time, in order', async () => {
    const { queue, written } = recordingQueue({ maxBatchRows: 1, maxBatchDelayMs: 10 });
    for (const r of rows('o', 4)) queue.add([r], { duplicates: 0 }, []);
    await queue.flush();
    expect(written.flat()).toEqual(['o0', 'o1', 'o2', 'o3']);
  });

  it('writes the batches sealed while a write runs together, up to maxWriteRows, each settling', async () => {
    const { queue, written } = recordingQueue({ maxBatchRows: 2, maxBatchDelayMs: 60_000, maxWriteRows: 4 });
    const first = queue.add(rows('a', 2), { duplicates: 0 }, []);
    const rest = queue.add(rows('b', 6), { duplicates: 0 }, []);
    await Promise.all([...first, ...rest].map((b) => b.done));
    // a0,a1 is being written when b's three batches seal: two fit the next write, one the write after.
    expect(written).toEqual([
      ['a0', 'a1'],
      ['b0', 'b1', 'b2', 'b3'],
      ['b4', 'b5'],
    ]);
  });
});
