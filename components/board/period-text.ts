import type { BoardSnapshot } from '@/analytics/board/board-snapshot';

const RANGE_TITLES = { today: 'Today', yesterday: 'Yesterday', '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days', custom: 'Custom range' };

/** "Last 7 days · 2026-03-04 – 2026-03-10 (UTC)": the range a board shows, in whole UTC days. */
export function periodText(snapshot: BoardSnapshot): string {
  const from = snapshot.periods.current.from.slice(0, 10);
  // The period ends at an exclusive instant: midnight belongs to the day before.
  const lastDay = new Date(Date.parse(snapshot.periods.current.to) - 1).toISOString().slice(0, 10);
  const days = from === lastDay ? from : `${from} – ${lastDay}`;
  return `${RANGE_TITLES[snapshot.view.range]} · ${days} (UTC)`;
}
