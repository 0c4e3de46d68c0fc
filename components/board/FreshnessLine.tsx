'use client';

import { formatAge, formatEventTime } from '@/lib/charts/freshness';
import { useNow } from '@/components/live/use-now';
import type { LiveStatus } from '@/components/live/use-live-feed';

/** How fresh the numbers are: the latest event stored, when the view was computed, and whether pushes arrive. */
export function FreshnessLine({ lastEventAt, computedAt, status }: { lastEventAt: string | null; computedAt: string; status: LiveStatus }) {
  const now = useNow(1000);
  return (
    <p className="freshness" data-testid="freshness">
      <span className={`live-dot live-dot--${status}`} data-testid="live-status" data-status={status} title={`live updates: ${status}`} />
      <span title="Business time of the latest event stored">
        {lastEventAt ? `last event ${formatEventTime(lastEventAt, now)}` : 'no events stored yet'}
      </span>
      <span aria-hidden="true"> · </span>
      <span title={`Numbers computed at ${computedAt}`}>updated {formatAge(computedAt, now)}</span>
    </p>
  );
}
