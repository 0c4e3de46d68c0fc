/** "just now", "42s ago", "5m ago", "3h ago", "2d ago"; a clock slightly ahead never shows a negative age. */
export function formatAge(fromIso: string, now: Date): string {
  const at = Date.parse(fromIso);
  if (Number.isNaN(at)) return 'unknown';
  const seconds = Math.max(0, Math.floor((now.getTime() - at) / 1000));
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/** A UTC time of day ("14:03:07 UTC"), with the date in front when it is not the same UTC day as `now`. */
export function formatEventTime(iso: string, now: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'unknown';
  const time = `${at.toISOString().slice(11, 19)} UTC`;
  return at.toISOString().slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${at.toISOString().slice(0, 10)} ${time}`;
}
