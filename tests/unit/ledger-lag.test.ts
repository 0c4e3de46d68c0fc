import { afterEach, describe, expect, it } from 'vitest';
import { lagText } from '@/components/board/lag-text';
import { reportLedgerLag, type LagReports } from '@/analytics/kpis/ledger/ledger-lag';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import type { LedgerLag } from '@/lib/bus/live-bus';

const NOW = new Date('2026-12-07T10:00:00Z');

describe('the ledger worker’s lag reports', () => {
  let reports: LagReports | undefined;
  afterEach(() => reports?.stop());

  async function watch(oldestWaiting: () => string | null, everyMs = 3_600_000) {
    const bus = createInProcessBus();
    const told: LedgerLag['behind'][] = [];
    await bus.subscribe('ledger-lag', (m) => told.push(m.behind));
    reports = reportLedgerLag({ bus, oldestWaiting, now: () => NOW, behindAfterMs: 10_000, everyMs });
    return told;
  }

  it('tells of a rebuild as it starts and ends, and of a backlog only once it is older than a pass', async () => {
    let oldest: string | null = '2026-12-07 09:59:55.000';
    const told = await watch(() => oldest);
    reports!.check();
    expect(told).toEqual([]); // 5 s waiting: between two passes, not behind

    reports!.rebuilding(new Date('2026-12-07T09:58:00Z'));
    expect(told).toEqual([{ reason: 'rebuilding', since: '2026-12-07T09:58:00.000Z' }]);
    oldest = '2026-12-07 09:58:30.000';
    reports!.rebuilding(null); // what arrived during the rebuild still waits
    expect(told.at(-1)).toEqual({ reason: 'catching-up', since: '2026-12-07T09:58:30.000Z' });
    reports!.check();
    expect(told).toHaveLength(2); // nothing new to say
    oldest = null;
    reports!.check();
    expect(told.at(-1)).toBeNull();
    reports!.check();
    expect(told).toHaveLength(3);
  });

  it('reminds while behind, for boards started meanwhile, and keeps quiet while current', async () => {
    let oldest: string | null = null;
    const told = await watch(() => oldest, 20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(told).toEqual([]);
    oldest = '2026-12-07 09:59:00.000';
    await expect.poll(() => told.length).toBeGreaterThanOrEqual(2);
    expect(new Set(told.map((b) => JSON.stringify(b)))).toEqual(
      new Set([JSON.stringify({ reason: 'catching-up', since: '2026-12-07T09:59:00.000Z' })]),
    );
  });
});

describe('what the board says of the lag', () => {
  it('names a rebuild and a backlog with the time they started, and nothing when current', () => {
    expect(lagText(null, NOW)).toBeNull();
    expect(lagText({ reason: 'rebuilding', since: '2026-12-07T09:58:00.000Z' }, NOW)).toMatch(/^Rebuilding the KPI figures .*since 09:58:00 UTC/);
    expect(lagText({ reason: 'catching-up', since: '2026-12-06T23:00:00.000Z' }, NOW)).toBe(
      'Catching up: events received since 2026-12-06 23:00:00 UTC are not all counted in these figures yet.',
    );
  });
});
