import type { BoardSnapshot } from '@/analytics/board/board-snapshot';
import { formatKpiValue, missingValueReason } from '@/lib/charts/kpi-value-format';

type Tile = BoardSnapshot['tiles'][number];

export function KpiTile({ tile }: { tile: Tile }) {
  const missing = tile.value === null;
  return (
    <article className="tile" data-testid={`tile-${tile.key}`} title={tile.help}>
      <header className="tile__head">
        <h2 className="tile__label">{tile.label}</h2>
        <span className="tile__help" aria-label={tile.help} title={tile.help}>
          ?
        </span>
      </header>
      <p
        className={missing ? 'tile__value tile__value--missing' : 'tile__value'}
        data-testid={`tile-${tile.key}-value`}
        title={tile.value === null ? undefined : tile.value.toLocaleString('en-US', { maximumFractionDigits: 4 })}
      >
        {formatKpiValue(tile.value, tile.format)}
      </p>
      {missing && <p className="tile__reason">{missingValueReason(tile.format, tile.scope)}</p>}
      <p className="tile__scope">{tile.scope}</p>
    </article>
  );
}
