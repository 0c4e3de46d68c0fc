'use client';

import type { BoardSnapshot } from '@/analytics/board/board-snapshot';
import { useNow } from '@/components/live/use-now';
import type { LiveStatus } from '@/components/live/use-live-feed';
import { lagText } from './lag-text';

/**
 * The live connection dropped (numbers may be stale until it is back and resynced), the figures
 * trail the stored events (a ledger rebuild or backlog), or the board failed.
 */
export function LiveBanners({
  status,
  error,
  behind = null,
}: {
  status: LiveStatus;
  error: Error | null;
  behind?: BoardSnapshot['freshness']['behind'];
}) {
  const lag = lagText(behind, useNow(60_000));
  return (
    <>
      {status === 'paused' && (
        <div className="banner banner--warn" role="status" data-testid="live-paused">
          Live updates paused — reconnecting… The numbers below may be out of date until the connection is back.
        </div>
      )}
      {lag && (
        <div className="banner banner--warn" role="status" data-testid="ledger-behind" data-reason={behind?.reason}>
          {lag}
        </div>
      )}
      {error && (
        <div className="banner banner--error" role="alert" data-testid="board-error">
          {error.message}
        </div>
      )}
    </>
  );
}
