import type { LiveStatus } from '@/components/live/use-live-feed';

/** The live connection dropped (numbers may be stale until it is back and resynced), or the board failed. */
export function LiveBanners({ status, error }: { status: LiveStatus; error: Error | null }) {
  return (
    <>
      {status === 'paused' && (
        <div className="banner banner--warn" role="status" data-testid="live-paused">
          Live updates paused — reconnecting… The numbers below may be out of date until the connection is back.
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
