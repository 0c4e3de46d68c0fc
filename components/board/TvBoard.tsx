'use client';

import { useEffect, useState } from 'react';
import type { BoardSnapshot } from '@/analytics/board/board-snapshot';
import { SECTION_LABELS, tilesBySection } from './board-sections';
import { FreshnessLine } from './FreshnessLine';
import { KpiTile } from './KpiTile';
import { LiveBanners } from './LiveBanners';
import { periodText } from './period-text';
import { BoardOutdatedError, useBoardView } from './use-board-view';

export const TV_ROTATE_MS = 20_000;

/**
 * The wall screen: one section at a time in large type, rotating, no controls. It lives through
 * dropped connections and server restarts (the socket reconnects and the view resyncs); when the
 * server came back with a build whose snapshots this page cannot read, it reloads itself.
 */
export function TvBoard({ viewKey, initial }: { viewKey: string; initial: BoardSnapshot | undefined }) {
  const { snapshot, error, status } = useBoardView(viewKey, initial);
  const [turn, setTurn] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => setTurn((t) => t + 1), TV_ROTATE_MS);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (error instanceof BoardOutdatedError) window.location.reload();
  }, [error]);
  useEffect(() => {
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
  }, []);

  const sections = snapshot ? tilesBySection(snapshot.tiles) : [];
  const shown = sections.length > 0 ? sections[turn % sections.length] : null;
  return (
    <div className="tv" data-testid="tv-board">
      <LiveBanners status={status} error={error instanceof BoardOutdatedError ? null : error} behind={snapshot?.freshness.behind} />
      <header className="tv__bar">
        <h1 className="tv__title" data-testid="tv-section" data-section={shown?.section ?? ''}>
          {shown ? SECTION_LABELS[shown.section] : 'Control Tower'}
        </h1>
        {snapshot && (
          <div className="tv__meta">
            <span>{periodText(snapshot)}</span>
            <FreshnessLine lastEventAt={snapshot.freshness.lastEventAt} computedAt={snapshot.computedAt} status={status} />
          </div>
        )}
      </header>
      {shown && snapshot && (
        <div className="tv__tiles">
          {shown.tiles.map((tile) => (
            <KpiTile key={tile.key} tile={tile} viewKey={snapshot.viewKey} large />
          ))}
        </div>
      )}
      <nav className="tv__dots" aria-hidden="true">
        {sections.map((s) => (
          <span key={s.section} className={s.section === shown?.section ? 'tv__dot tv__dot--on' : 'tv__dot'} />
        ))}
      </nav>
    </div>
  );
}
