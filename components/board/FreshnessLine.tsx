'use client';

import { formatAge, formatEventTime } from '@/lib/charts/freshness';
import { useNow } from '@/components/live/use-now';

export function FreshnessLine({ lastEventAt, computedAt }: { lastEventAt: string | null; computedAt: string }) {
  const now = useNow(1000);
  return (
    <p className="freshness" data-testid="freshness">
      <span title="Business time of the latest event stored">
        {lastEventAt ? `last event ${formatEventTime(lastEventAt, now)}` : 'no events stored yet'}
      </span>
      <span aria-hidden="true"> · </span>
      <span title={`Numbers computed at ${computedAt}`}>updated {formatAge(computedAt, now)}</span>
    </p>
  );
}
