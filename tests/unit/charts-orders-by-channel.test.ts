import { describe, expect, it } from 'vitest';
import { shapeOrdersByChannel } from '@/lib/charts/orders-by-channel-series';

const day = '2026-11-23';
const now = new Date('2026-11-23T10:30:00Z');

describe('shapeOrdersByChannel', () => {
  it('gives 24 UTC hours labelled HH:00', () => {
    const series = shapeOrdersByChannel([], { day, now });
    expect(series.buckets).toHaveLength(24);
    expect(series.buckets[0]).toMatchObject({ hourStart: '2026-11-23T00:00:00.000Z', label: '00:00' });
    expect(series.buckets[23].label).toBe('23:00');
    expect(series.channels).toEqual([]);
    expect(series.totalOrders).toBe(0);
  });

  it('counts a begun hour without orders as 0 and leaves hours still to come as gaps', () => {
    const series = shapeOrdersByChannel([{ hour: '2026-11-23T03:00:00Z', channel: 'web', orders: 4 }], { day, now });
    expect(series.buckets[3].orders.web).toBe(4);
    expect(series.buckets[2].orders.web).toBe(0);
    expect(series.buckets[10].orders.web).toBe(0);
    expect(series.buckets[11].orders.web).toBeNull();
    expect(series.buckets[23].orders.web).toBeNull();
  });

  it('orders channels busiest first and adds repeated rows of the same hour', () => {
    const series = shapeOrdersByChannel(
      [
        { hour: '2026-11-23T01:00:00.000Z', channel: 'b2b', orders: 1 },
        { hour: '2026-11-23T01:00:00.000Z', channel: 'amazon', orders: 2 },
        { hour: '2026-11-23T02:00:00.000Z', channel: 'amazon', orders: 3 },
        { hour: '2026-11-23T02:00:00.000Z', channel: 'web', orders: 5 },
        { hour: '2026-11-23T02:00:00.000Z', channel: 'web', orders: 1 },
      ],
      { day, now },
    );
    expect(series.channels).toEqual(['web', 'amazon', 'b2b']);
    expect(series.buckets[2].orders).toEqual({ web: 6, amazon: 3, b2b: 0 });
    expect(series.totalOrders).toBe(12);
  });

  it('ignores rows outside the day', () => {
    const series = shapeOrdersByChannel(
      [
        { hour: '2026-11-22T23:00:00Z', channel: 'web', orders: 9 },
        { hour: '2026-11-24T00:00:00Z', channel: 'web', orders: 9 },
        { hour: '2026-11-23T00:00:00Z', channel: 'web', orders: 1 },
      ],
      { day, now },
    );
    expect(series.totalOrders).toBe(1);
    expect(series.buckets[0].orders.web).toBe(1);
  });

  it('treats every hour of a past day as begun', () => {
    const series = shapeOrdersByChannel([{ hour: '2026-11-22T05:00:00Z', channel: 'web', orders: 2 }], { day: '2026-11-22', now });
    expect(series.buckets[23].orders.web).toBe(0);
  });

  it('rejects a day that is not YYYY-MM-DD', () => {
    expect(() => shapeOrdersByChannel([], { day: 'today', now })).toThrow(/YYYY-MM-DD/);
  });
});
