import Link from 'next/link';
import { notFound } from 'next/navigation';
import { analyticsSlot } from '@/analytics/clickhouse';
import { boardViewQuery, DIMENSIONS } from '@/analytics/kpis/board-view';
import {
  drillFilters,
  drillViewQuery,
  narrowDrill,
  parseDrillView,
  widenDrill,
  type DrillView,
} from '@/analytics/kpis/drill-view';
import { kpiDefinition } from '@/analytics/kpis/kpi-catalogue';
import { readKpiDrillDown } from '@/analytics/kpis/kpi-drill-down';
import { listsEntities } from '@/analytics/kpis/list-kpi-entities';
import { kpiStatus } from '@/analytics/kpis/kpi-status';
import { targetsInForceMap } from '@/analytics/kpis/kpi-targets';
import { BreakdownPanel } from '@/components/kpi-drill/BreakdownPanel';
import { EntityList } from '@/components/kpi-drill/EntityList';
import { FollowBoardView } from '@/components/kpi-drill/FollowBoardView';
import { TrendChart } from '@/components/kpi-drill/TrendChart';
import { AppHeader } from '@/components/shell/AppHeader';
import { requireSession } from '@/lib/auth/require-session';
import { STATUS_LABELS, kpiChange, targetText } from '@/lib/charts/kpi-tile-text';
import { formatKpiValue } from '@/lib/charts/kpi-value-format';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';

export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;

const href = (key: string, drill: DrillView) => {
  const query = drillViewQuery(drill);
  return `/kpis/${encodeURIComponent(key)}${query ? `?${query}` : ''}`;
};

/** A tile's drill-down: its trend, its breakdown by each dimension it supports, and the entities behind it. */
export default async function KpiDrillPage({
  params,
  searchParams,
}: {
  params: Promise<{ key: string }>;
  searchParams: Promise<Search>;
}) {
  const { key } = await params;
  const drill = parseDrillView(await searchParams);
  const { user } = await requireSession(href(key, drill));
  const kpi = kpiDefinition(key);
  if (!kpi) notFound();

  const [data, targets] = await Promise.all([
    readKpiDrillDown({ analytics: analyticsSlot.get(), store: transactionalStoreSlot.get() }, kpi, drill, new Date()),
    targetsInForceMap(transactionalStoreSlot.get().db),
  ]);
  const target = targets.get(kpi.key) ?? null;
  const value = data.reading?.value ?? null;
  const previous = data.reading?.previous ?? null;
  const status = kpiStatus(value, target);
  const change = kpiChange(value, previous, kpi.format, kpi.better);
  const narrowedTo = drillFilters(drill);
  const filters = DIMENSIONS.flatMap((d) => (narrowedTo[d] ? [{ d, v: narrowedTo[d] }] : []));
  const boardQuery = boardViewQuery(drill.view);
  const throughQuery = drillViewQuery({ ...drill, list: false });

  return (
    <>
      <AppHeader user={user} />
      <main className="page drill" data-testid="kpi-drill" data-kpi={kpi.key}>
        <nav className="drill__crumbs">
          <Link href={boardQuery ? `/?${boardQuery}` : '/'}>← Board</Link>
        </nav>
        <header className="drill__head">
          <h1>{kpi.label}</h1>
          <p className="muted">{kpi.help}</p>
          <p className="drill__filters">
            {data.periods.current.from.toISOString().slice(0, 16).replace('T', ' ')} –{' '}
            {data.periods.current.to.toISOString().slice(0, 16).replace('T', ' ')} UTC
            {filters.map(({ d, v }) => (
              <Link
                key={d}
                className="chip"
                href={href(kpi.key, widenDrill(drill, d))}
                data-testid={`chip-${d}`}
                title={`Remove the ${d} filter`}
              >
                {d}: {v} ×
              </Link>
            ))}
          </p>
          <FollowBoardView
            viewKey={boardQuery}
            kpiKey={kpi.key}
            renderedValue={Object.keys(drill.extra).length === 0 ? value : undefined}
          />
          {data.reading && data.reading.unfiltered.length > 0 && (
            <p className="tile__unfiltered">
              Not split by {data.reading.unfiltered.join(' or ')}: those filters do not apply to this KPI.
            </p>
          )}
        </header>
        <section className={`panel drill__figure tile--${status ?? 'none'}`}>
          <p className="tile__value" data-testid="drill-value">
            {formatKpiValue(value, kpi.format)}
          </p>
          <p>
            {change && <span className={`tile__change tile__change--${change.tone}`}>{change.text}</span>}
            <span className="muted"> vs {formatKpiValue(previous, kpi.format)} in the range before</span>
          </p>
          {target && (
            <p className="tile__target">
              <span className="tile__dot" aria-hidden="true" /> target {targetText(target, kpi.format)}
              {status && ` · ${STATUS_LABELS[status]}`}
            </p>
          )}
          <TrendChart series={data.reading?.series ?? []} format={kpi.format} />
        </section>
        <div className="drill__breakdowns">
          {data.breakdowns.map(({ dimension, rows }) => (
            <BreakdownPanel
              key={dimension}
              dimension={dimension}
              format={kpi.format}
              rows={rows.map((r) => ({
                ...r,
                href: r.value ? href(kpi.key, narrowDrill(drill, dimension, r.value)) : null,
              }))}
            />
          ))}
        </div>
        {listsEntities(kpi) && kpi.drillTo && (
          <section className="panel">
            {data.entities ? (
              <EntityList groups={data.entities} kpi={kpi} throughQuery={throughQuery} />
            ) : (
              <Link className="button" href={href(kpi.key, { ...drill, list: true })} data-testid="list-entities">
                List the {kpi.drillTo.replace('_', ' ')} behind this number
              </Link>
            )}
          </section>
        )}
      </main>
    </>
  );
}
