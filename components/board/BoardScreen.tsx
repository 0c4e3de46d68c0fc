'use client';

import type { BoardSnapshot } from '@/analytics/board/board-snapshot';
import type { BoardView, FilterDimension } from '@/analytics/kpis/board-view';
import { BoardControls } from './BoardControls';
import { SECTION_LABELS, tilesBySection } from './board-sections';
import { FreshnessLine } from './FreshnessLine';
import { KpiTile } from './KpiTile';
import { LiveBanners } from './LiveBanners';
import { periodDays, periodText } from './period-text';
import { useBoardView } from './use-board-view';

const PLACEHOLDER_TILES = 8;

export function BoardScreen(props: {
  view: BoardView;
  viewKey: string;
  initial: BoardSnapshot | undefined;
  options: Record<FilterDimension, string[]>;
}) {
  const { snapshot, error, status } = useBoardView(props.viewKey, props.initial);
  const days = snapshot ? periodDays(snapshot) : undefined;
  return (
    <div className="board" data-testid="board" data-view={props.viewKey}>
      <LiveBanners status={status} error={error} behind={snapshot?.freshness.behind} />
      <div className="board__bar">
        <h1 className="board__title">{snapshot ? periodText(snapshot) : 'Board'}</h1>
        {snapshot && <FreshnessLine lastEventAt={snapshot.freshness.lastEventAt} computedAt={snapshot.computedAt} status={status} />}
      </div>
      {/* Keyed by the days too: the custom range starts from what the board shows once it knows. */}
      <BoardControls key={`${props.viewKey}|${days?.from}|${days?.to}`} view={props.view} days={days} options={props.options} />
      {snapshot ? (
        tilesBySection(snapshot.tiles).map(({ section, tiles }) => (
          <section key={section} className="board-section" aria-labelledby={`section-${section}`} data-testid={`section-${section}`}>
            <h2 id={`section-${section}`} className="board-section__title">
              {SECTION_LABELS[section]}
            </h2>
            <div className="tiles">
              {tiles.map((tile) => (
                <KpiTile key={tile.key} tile={tile} viewKey={snapshot.viewKey} />
              ))}
            </div>
          </section>
        ))
      ) : (
        <div className="tiles">
          {Array.from({ length: PLACEHOLDER_TILES }, (_, i) => (
            <div key={i} className="tile tile--loading" aria-hidden="true" />
          ))}
        </div>
      )}
    </div>
  );
}
