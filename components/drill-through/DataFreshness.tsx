import { formatAge } from '@/lib/charts/freshness';
import { formatUtc } from './format';

/**
 * How current the page is: a drill-through page is computed once, when it is opened, from what
 * the tower had stored by then. Reload for newer events.
 */
export function DataFreshness({ lastEventAt, lastFlushAt, renderedAt }: { lastEventAt: string | null; lastFlushAt: string | null; renderedAt: Date }) {
  return (
    <p className="freshness" data-testid="freshness">
      <span title="Business time of the latest event the tower has stored, from any source">
        {lastEventAt ? `latest event stored ${formatUtc(lastEventAt)}` : 'no events stored yet'}
      </span>
      <span aria-hidden="true"> · </span>
      <span title="When ingest last wrote events">{lastFlushAt ? `last flush ${formatAge(lastFlushAt, renderedAt)}` : 'no flush yet'}</span>
      <span aria-hidden="true"> · </span>
      <span title="This page does not update itself; reload it for newer events">as of {formatUtc(renderedAt.toISOString())}</span>
    </p>
  );
}
