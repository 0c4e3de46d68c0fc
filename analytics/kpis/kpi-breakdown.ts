import { getBoardFilterOptions } from '../queries/board-filter-options';
import { FILTER_DIMENSIONS, type Dimension, type FilterDimension, type ViewPeriods } from './board-view';
import { evaluateFormula } from './evaluate-formula';
import { metricsOf, type KpiDefinition, type KpiSources } from './kpi-definition';
import { applicableFilters, readKpiRequests, type SliceFilters } from './kpi-readings';
import { BEGINNING, readLedger } from './ledger/read-ledger';

export interface KpiBreakdownRow {
  /** The slice's value ('' where the facts did not say, e.g. a SKU never described). */
  value: string;
  reading: number | null;
}

/** The most values a derived or custom KPI is read for, one reading each: more than any shop's warehouses or categories. */
const DERIVED_VALUES = 60;

/**
 * A KPI over the current period, per value of one of its dimensions, each row by the same
 * definition as the tile. Ledger formulas: the ledger summed by that slice and the formula
 * evaluated per group (level KPIs sum from the beginning to the period's end). Derived KPIs
 * (computed from sums over time, such as average inventory): the tile's own reading, once per
 * value the ledger holds for its metrics, narrowed to that value, all in one statement. Custom
 * KPIs (read outside the ledger: stock ageing, exceptions): their own reader once per value the
 * board's filter offers, values with nothing left out. Rows come largest first.
 */
export async function readKpiBreakdown(
  sources: KpiSources,
  kpi: KpiDefinition,
  q: {
    periods: ViewPeriods;
    filters: SliceFilters;
    dimension: Dimension;
    now: Date;
    /** The filter bar's values, when the caller has them (a drill-down reads them once for all its breakdowns). */
    filterOptions?: () => Promise<Record<FilterDimension, string[]>>;
  },
): Promise<KpiBreakdownRow[]> {
  if (!kpi.dimensions.includes(q.dimension)) return [];
  const formula = kpi.value;
  const filters = applicableFilters(kpi, q.filters);
  if (formula.kind === 'custom') {
    const dimension = q.dimension;
    if (!isFilterDimension(dimension)) return [];
    // The values the board's filters offer; the KPI's own reader narrowed to each, one at a time.
    const options = await (q.filterOptions?.() ?? getBoardFilterOptions(sources.analytics, q.periods.current.from));
    const rows: KpiBreakdownRow[] = [];
    for (const value of options[dimension].slice(0, DERIVED_VALUES)) {
      const reading = await formula.read(sources, { period: q.periods.current, filters: { ...filters, [dimension]: value }, now: q.now });
      if (reading !== null && reading !== 0) rows.push({ value, reading });
    }
    return rows.sort(largestFirst);
  }
  const sums = await readLedger(sources.analytics, {
    metrics: metricsOf(formula),
    period: formula.kind === 'level' || formula.kind === 'derived' ? { from: BEGINNING, to: q.periods.current.to } : q.periods.current,
    filters,
    groupBy: q.dimension,
  });
  const groups = new Map<string, typeof sums>();
  for (const s of sums) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);

  let rows: KpiBreakdownRow[];
  if (formula.kind === 'derived') {
    const values = [...groups.keys()].sort().slice(0, DERIVED_VALUES);
    const readings = await readKpiRequests(
      sources,
      values.map((value) => ({ kpi, filters: { ...filters, [q.dimension]: value } })),
      q,
    );
    rows = values.map((value, i) => ({ value, reading: readings[i]?.value ?? null }));
  } else {
    rows = [...groups.entries()].map(([value, groupSums]) => ({ value, reading: evaluateFormula(formula, groupSums) }));
  }
  return rows.sort(largestFirst);
}

const largestFirst = (a: KpiBreakdownRow, b: KpiBreakdownRow) =>
  (b.reading ?? -Infinity) - (a.reading ?? -Infinity) || a.value.localeCompare(b.value);

const isFilterDimension = (d: Dimension): d is FilterDimension => (FILTER_DIMENSIONS as readonly string[]).includes(d);
