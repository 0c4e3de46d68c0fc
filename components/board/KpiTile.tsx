import Link from 'next/link';
import type { BoardTile } from '@/analytics/board/board-snapshot';
import { kpiChange, noValueReason, STATUS_LABELS, targetText } from '@/lib/charts/kpi-tile-text';
import { formatKpiValue } from '@/lib/charts/kpi-value-format';
import { Sparkline } from './Sparkline';

/**
 * One KPI: value, change against the range before, target with red/amber/green, trend, parts, the
 * definition as help, and a note when a filter of the view does not apply to it. `large` is the
 * wall-screen variant without links.
 */
export function KpiTile({ tile, viewKey, large = false }: { tile: BoardTile; viewKey: string; large?: boolean }) {
  const change = kpiChange(tile.value, tile.previous, tile.format, tile.better);
  const drillHref = `/kpis/${encodeURIComponent(tile.key)}${viewKey ? `?${viewKey}` : ''}`;
  return (
    <article
      className={`tile tile--${tile.status ?? 'none'}${large ? ' tile--large' : ''}`}
      data-testid={`tile-${tile.key}`}
      data-status={tile.status ?? 'none'}
    >
      <header className="tile__head">
        <h3 className="tile__label">{large ? tile.label : <Link href={drillHref}>{tile.label}</Link>}</h3>
        {!large && (
          <details className="tile__help">
            <summary aria-label={`What ${tile.label} means`}>?</summary>
            <p role="note">{tile.help}</p>
          </details>
        )}
      </header>
      <p
        className={tile.value === null ? 'tile__value tile__value--missing' : 'tile__value'}
        data-testid={`tile-${tile.key}-value`}
        title={tile.value === null ? noValueReason(tile.format) : tile.value.toLocaleString('en-US', { maximumFractionDigits: 4 })}
      >
        {formatKpiValue(tile.value, tile.format)}
      </p>
      <p className="tile__compare">
        {change ? (
          <span className={`tile__change tile__change--${change.tone}`} data-testid={`tile-${tile.key}-change`}>
            {change.text}
          </span>
        ) : (
          <span className="muted">no comparison</span>
        )}
        <span className="muted"> vs {formatKpiValue(tile.previous, tile.format)} before</span>
      </p>
      {tile.target && (
        <p className="tile__target" data-testid={`tile-${tile.key}-target`}>
          <span className="tile__dot" aria-hidden="true" />
          target {targetText(tile.target, tile.format)}
          {tile.status && <span> · {STATUS_LABELS[tile.status]}</span>}
        </p>
      )}
      <Sparkline series={tile.series} height={large ? 70 : 36} />
      {tile.parts.length > 0 && (
        <dl className="tile__parts">
          {tile.parts.map((p) => (
            <div key={p.key}>
              <dt>{p.label}</dt>
              <dd data-testid={`tile-${tile.key}-part-${p.key}`}>{formatKpiValue(p.value, p.format)}</dd>
            </div>
          ))}
        </dl>
      )}
      {tile.unfiltered.length > 0 && (
        <p className="tile__unfiltered" data-testid={`tile-${tile.key}-unfiltered`}>
          Not split by {tile.unfiltered.join(' or ')}: shows every {tile.unfiltered.join(' and ')}.
        </p>
      )}
      {!large && (
        <Link className="tile__drill" href={drillHref} data-testid={`tile-${tile.key}-drill`}>
          Breakdown →
        </Link>
      )}
    </article>
  );
}
