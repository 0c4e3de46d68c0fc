import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import type { FlushAnnouncement, LiveBus } from '@/lib/bus/live-bus';
import { createRedisBus } from '@/lib/bus/redis-bus';

const announcement: FlushAnnouncement = {
  flushedAt: '2026-11-23T10:00:00.000Z',
  events: 42,
  deadLetters: 1,
  lastOccurredAt: '2026-11-23T09:59:59.000Z',
  types: ['order.created'],
};

const buses: LiveBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

async function firstMessage(bus: LiveBus): Promise<FlushAnnouncement> {
  return new Promise((resolve) => {
    void bus.subscribe('flush', resolve);
  });
}

describe('live bus', () => {
  it('delivers a flush announcement in process', async () => {
    const bus = createInProcessBus();
    buses.push(bus);
    const received = firstMessage(bus);
    await bus.publish('flush', announcement);
    expect(await received).toEqual(announcement);
  });

  it('delivers a flush announcement from one process to another over Redis', async () => {
    const url = 'redis://127.0.0.1:6379';
    const prefix = `test-${randomUUID()}`;
    const [web, ingest] = await Promise.all([createRedisBus(url, prefix), createRedisBus(url, prefix)]);
    buses.push(web, ingest);
    const received = new Promise<FlushAnnouncement>((resolve) => {
      void web.subscribe('flush', resolve);
    });
    await new Promise((r) => setTimeout(r, 50));
    await ingest.publish('flush', announcement);
    expect(await received).toEqual(announcement);
  });

  it('keeps deployments that share a Redis apart by their prefix', async () => {
    const url = 'redis://127.0.0.1:6379';
    const [ours, theirs] = await Promise.all([createRedisBus(url, `test-${randomUUID()}`), createRedisBus(url, `test-${randomUUID()}`)]);
    buses.push(ours, theirs);
    const heard: FlushAnnouncement[] = [];
    await ours.subscribe('flush', (m) => heard.push(m));
    await theirs.publish('flush', { ...announcement, events: 1 });
    await ours.publish('flush', announcement);
    await expect.poll(() => heard).toEqual([announcement]);
    // Their announcement went out first: had it crossed over it would be here by now.
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toEqual([announcement]);
  });

  it('stops delivering after unsubscribe', async () => {
    const bus = createInProcessBus();
    buses.push(bus);
    const seen: FlushAnnouncement[] = [];
    const unsubscribe = await bus.subscribe('flush', (m) => seen.push(m));
    await bus.publish('flush', announcement);
    await unsubscribe();
    await bus.publish('flush', announcement);
    expect(seen).toHaveLength(1);
  });
});
