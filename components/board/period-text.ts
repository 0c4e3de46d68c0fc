import type { BoardSnapshot } from '@/analytics/board/board-snapshot';

const RANGE_TITLES = { today: 'Today', yesterday: 'Yesterday', '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days', custom: 'Custom range' };

/** The first and last whole UTC days a board shows (its period ends at an exclusive instant). */
export function periodDays(snapshot: BoardSnapshot): { from: string; to: string } {
  const from = snapshot.periods.current.from.slice(0, 10);
  // Midnight at the end belongs to the day before.
  const to = new Date(Date.parse(snapshot.periods.current.to) - 1).toISOString().slice(0, 10);
  return { from, to };
}

/** "Last 7 days · 2026-03-04 – 2026-03-10 (UTC)": the range a board shows, in whole UTC days. */
export function periodText(snapshot: BoardSnapshot): string {
  const { from, to } = periodDays(snapshot);
  return `${RANGE_TITLES[snapshot.view.range]} · ${from === to ? from : `${from} – ${to}`} (UTC)`;
}
