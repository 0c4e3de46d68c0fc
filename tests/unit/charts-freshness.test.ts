import { describe, expect, it } from 'vitest';
import { formatAge, formatEventTime } from '@/lib/charts/freshness';

const now = new Date('2026-11-23T10:00:00Z');

describe('formatAge', () => {
  it('counts seconds, minutes, hours and days', () => {
    expect(formatAge('2026-11-23T09:59:58Z', now)).toBe('2s ago');
    expect(formatAge('2026-11-23T09:55:00Z', now)).toBe('5m ago');
    expect(formatAge('2026-11-23T07:00:00Z', now)).toBe('3h ago');
    expect(formatAge('2026-11-21T10:00:00Z', now)).toBe('2d ago');
  });

  it('never shows a negative age when the server clock is ahead', () => {
    expect(formatAge('2026-11-23T10:00:03Z', now)).toBe('just now');
  });

  it('says unknown for an unreadable time', () => {
    expect(formatAge('soon', now)).toBe('unknown');
  });
});

describe('formatEventTime', () => {
  it('shows the UTC time of day, with the date only for another day', () => {
    expect(formatEventTime('2026-11-23T09:15:07.123Z', now)).toBe('09:15:07 UTC');
    expect(formatEventTime('2026-11-22T23:59:00Z', now)).toBe('2026-11-22 23:59:00 UTC');
  });
});
