import type { ExceptionItem } from './exception-item';

/** Milliseconds until the SLA deadline; negative once breached. */
export function slaLeftMs(item: Pick<ExceptionItem, 'slaDueAt'>, now: number): number {
  return Date.parse(item.slaDueAt) - now;
}

export function ageMs(item: Pick<ExceptionItem, 'openedAt'>, now: number): number {
  return now - Date.parse(item.openedAt);
}

/** "45m", "3h 10m", "2d 4h"; a negative duration reads "−3h 10m" (overdue). */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${sign}${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${sign}${hours}h ${minutes % 60}m`;
  return `${sign}${Math.floor(hours / 24)}d ${hours % 24}h`;
}
