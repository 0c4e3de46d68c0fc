'use client';

import { FreshnessLine } from './FreshnessLine';
import { KpiTile } from './KpiTile';
import { OrdersByChannelChart } from './OrdersByChannelChart';
import { useLiveBoard } from './use-live-board';

const PLACEHOLDER_TILES = 6;

export function Board() {
  const { snapshot, error, status } = useLiveBoard();

  return (
    <div className="board">
      {status === 'paused' && (
        <div className="banner banner--warn" role="status" data-testid="live-paused">
          Live updates paused — reconnecting…
        </div>
      )}
      {error && (
        <div className="banner banner--error" role="alert">
          {error.message}
        </div>
      )}

      <div className="board__bar">
        <h1 className="board__title">{snapshot ? `Today · ${snapshot.day} (UTC)` : 'Today'}</h1>
        {snapshot && <FreshnessLine lastEventAt={snapshot.lastEventAt} computedAt={snapshot.computedAt} />}
      </div>

      <section className="tiles" aria-label="Key figures">
        {snapshot
          ? snapshot.tiles.map((tile) => <KpiTile key={tile.key} tile={tile} />)
          : Array.from({ length: PLACEHOLDER_TILES }, (_, i) => <div key={i} className="tile tile--loading" aria-hidden="true" />)}
      </section>

      <section className="panel" aria-labelledby="orders-by-channel-title">
        <h2 id="orders-by-channel-title" className="panel__title">
          Orders by channel, per hour
        </h2>
        {snapshot ? <OrdersByChannelChart snapshot={snapshot} /> : <div className="chart-empty">Loading…</div>}
      </section>
    </div>
  );
}
