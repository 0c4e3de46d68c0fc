import { boardViewQuery, filtersOf, periodsOf, type BoardView } from '../kpis/board-view';
import { kpiCatalogue } from '../kpis/kpi-catalogue';
import type { KpiSources, KpiTarget } from '../kpis/kpi-definition';
import { readKpis } from '../kpis/kpi-readings';
import { kpiStatus } from '../kpis/kpi-status';
import { getDataFreshness, type DataFreshness } from '../queries/data-freshness';
import { boardSnapshotSchema, type BoardSnapshot } from './board-snapshot';

/** The targets in force, by KPI key: an admin's where set, else the catalogue's default (null: none). */
export type TargetsInForce = ReadonlyMap<string, KpiTarget | null>;

/**
 * Every tile of the catalogue for one view at `now`. KPIs come from `kpiCatalogue` as they are,
 * so a definition added there shows on the board without a change here. readKpis shares ledger
 * reads between the KPIs that accept the same filters: a handful of queries per view. The
 * freshness line is read with them unless the caller keeps it (live boards do).
 */
export async function computeBoardView(
  sources: KpiSources,
  view: BoardView,
  now: Date,
  targets: TargetsInForce,
  kept?: DataFreshness,
): Promise<BoardSnapshot> {
  const kpis = kpiCatalogue;
  const periods = periodsOf(view, now);
  // No turn of its own on chDB: a view's JavaScript and its store reads (exception KPIs) would
  // hold the engine idle. Each statement queues in its lane; a kept ledger read takes none.
  const [readings, freshness] = await Promise.all([
    readKpis(sources, kpis, { periods, filters: filtersOf(view), now }),
    kept ?? getDataFreshness(sources.analytics),
  ]);
  const byKey = new Map(readings.map((r) => [r.key, r]));
  const iso = (p: { from: Date; to: Date }) => ({ from: p.from.toISOString(), to: p.to.toISOString() });

  return boardSnapshotSchema.parse({
    computedAt: now.toISOString(),
    viewKey: boardViewQuery(view),
    view,
    periods: { current: iso(periods.current), previous: iso(periods.previous), grain: periods.grain },
    freshness,
    tiles: kpis.map((kpi) => {
      const reading = byKey.get(kpi.key);
      const target = targets.has(kpi.key) ? (targets.get(kpi.key) ?? null) : (kpi.target ?? null);
      const value = reading?.value ?? null;
      return {
        key: kpi.key,
        label: kpi.label,
        section: kpi.section,
        format: kpi.format,
        help: kpi.help,
        better: kpi.better,
        value,
        previous: reading?.previous ?? null,
        target,
        status: kpiStatus(value, target),
        series: reading?.series ?? [],
        parts: (kpi.parts ?? []).map((part) => {
          const read = reading?.parts.find((p) => p.key === part.key);
          return {
            key: part.key,
            label: part.label,
            format: part.format,
            value: read?.value ?? null,
            previous: read?.previous ?? null,
          };
        }),
        dimensions: [...kpi.dimensions],
        unfiltered: reading?.unfiltered ?? [],
        drillTo: kpi.drillTo,
      };
    }),
  });
}
