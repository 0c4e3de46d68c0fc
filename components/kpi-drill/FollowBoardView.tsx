'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { boardPushSchema } from '@/analytics/board/board-snapshot';
import { useLiveRoom } from '@/components/live/use-live-room';

/** A drill-down reads much more than a tile: it is read again at most this often. */
const MIN_REFRESH_MS = 5_000;

/**
 * Keeps a drill-down current: watches the board view it drills from and, when a pushed snapshot
 * moves this KPI's tile (its number, the range before, its trend or parts), renders the page again
 * on the server — at most every few seconds. After a dropped connection it renders again in full.
 */
export function FollowBoardView({
  viewKey,
  kpiKey,
  renderedValue,
}: {
  viewKey: string;
  kpiKey: string;
  /** The number the page was rendered with, when it is the board tile's (no narrowing beyond the board's filters). */
  renderedValue?: number | null;
}) {
  const router = useRouter();
  const seen = useRef<string | null>(null);
  const lastRefresh = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = () => {
    if (timer.current) return;
    timer.current = setTimeout(
      () => {
        timer.current = null;
        lastRefresh.current = Date.now();
        router.refresh();
      },
      Math.max(0, lastRefresh.current + MIN_REFRESH_MS - Date.now()),
    );
  };
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const status = useLiveRoom('board', viewKey, {
    onReconnect: refresh,
    onMessage: (payload) => {
      const push = boardPushSchema.safeParse(payload);
      if (!push.success || push.data.viewKey !== viewKey) return;
      const tile = push.data.snapshot.tiles.find((t) => t.key === kpiKey);
      if (!tile) return;
      const now = JSON.stringify([tile.value, tile.previous, tile.series, tile.parts]);
      // The first push comes with the view's next round: it counts as a change when it moved the
      // number since the page was rendered; after that, every change counts.
      if (seen.current === null ? renderedValue !== undefined && tile.value !== renderedValue : seen.current !== now) refresh();
      seen.current = now;
    },
  });

  if (status === 'paused') {
    return (
      <div className="banner banner--warn" role="status" data-testid="drill-live" data-status={status}>
        Live updates paused — reconnecting…
      </div>
    );
  }
  return (
    <span className="muted" data-testid="drill-live" data-status={status}>
      {status === 'live' ? 'Live: updates as the numbers move' : 'Connecting…'}
    </span>
  );
}
