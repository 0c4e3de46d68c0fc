import { getBoardFilterOptions } from '../queries/board-filter-options';
import { periodsOf, type Dimension, type FilterDimension, type ViewPeriods } from './board-view';
import { readCustomTrend } from './custom-trend';
import { drillFilters, type DrillView } from './drill-view';
import { readKpiBreakdown, type KpiBreakdownRow } from './kpi-breakdown';
import type { KpiDefinition, KpiSources } from './kpi-definition';
import { readKpis, type KpiReading } from './kpi-readings';
import { listKpiEntities, type KpiEntityGroup } from './list-kpi-entities';

export interface KpiDrillDown {
  periods: ViewPeriods;
  reading: KpiReading | null;
  breakdowns: { dimension: Dimension; rows: KpiBreakdownRow[] }[];
  /** Only when the drill-down asks for the list. */
  entities: KpiEntityGroup[] | null;
}

export const ENTITY_LIST_LIMIT = 100;

/**
 * A KPI's drill-down for one view: its number and trend, its breakdown by every dimension it
 * supports (a dimension it is already narrowed to is left out), and on request the entities behind
 * the number. Every figure is the catalogue's formula over the same ledger the board reads.
 */
export async function readKpiDrillDown(sources: KpiSources, kpi: KpiDefinition, drill: DrillView, now: Date): Promise<KpiDrillDown> {
  const periods = periodsOf(drill.view, now);
  const filters = drillFilters(drill);
  const [ledgerReading] = await readKpis(sources, [kpi], { periods, filters, now });
  const reading =
    ledgerReading && kpi.value.kind === 'custom'
      ? { ...ledgerReading, series: await readCustomTrend(sources, kpi, { periods, filters, now }) }
      : ledgerReading;
  // Read on first need, once for every dimension (only custom KPIs break down by them).
  let options: Promise<Record<FilterDimension, string[]>> | undefined;
  const filterOptions = () => (options ??= getBoardFilterOptions(sources.analytics, periods.current.from));
  const breakdowns = [];
  for (const dimension of kpi.dimensions) {
    if (filters[dimension] !== undefined) continue;
    breakdowns.push({ dimension, rows: await readKpiBreakdown(sources, kpi, { periods, filters, dimension, now, filterOptions }) });
  }
  const entities = drill.list
    ? await listKpiEntities(sources.analytics, kpi, { period: periods.current, filters, limit: ENTITY_LIST_LIMIT })
    : null;
  return { periods, reading: reading ?? null, breakdowns, entities };
}
