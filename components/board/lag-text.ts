import type { BoardSnapshot } from '@/analytics/board/board-snapshot';
import { formatEventTime } from '@/lib/charts/freshness';

/** What the board says while the KPI ledger trails the stored events; null when it does not. */
export function lagText(behind: BoardSnapshot['freshness']['behind'], now: Date): string | null {
  if (!behind) return null;
  const since = formatEventTime(behind.since, now);
  return behind.reason === 'rebuilding'
    ? `Rebuilding the KPI figures from the stored events (since ${since}, after an upgrade or on a first start). Events received meanwhile are counted once it ends.`
    : `Catching up: events received since ${since} are not all counted in these figures yet.`;
}
