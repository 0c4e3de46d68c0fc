import type { ViewPeriods } from './board-view';
import type { KpiDefinition, KpiSources } from './kpi-definition';
import { applicableFilters, type KpiReading, type SliceFilters } from './kpi-readings';
import { stepsOf } from './period-sums';

/** A custom KPI's trend costs a read per point: a long range gets every n-th step, its last always. */
const MOST_POINTS = 31;

/**
 * The trend of a KPI read some other way than from the ledger (stock ageing, open exceptions,
 * resolution times): its own reader over each hour or day of the range, as its tile reads the
 * whole range — a level as of the step's end, a flow over the step. For drill-downs only: the
 * board's tiles, recomputed every tick, do without.
 */
export async function readCustomTrend(
  sources: KpiSources,
  kpi: KpiDefinition,
  q: { periods: ViewPeriods; filters: SliceFilters; now: Date },
): Promise<KpiReading['series']> {
  const formula = kpi.value;
  if (formula.kind !== 'custom') return [];
  const steps = stepsOf(q.periods.current, q.periods.grain);
  const every = Math.ceil(steps.length / MOST_POINTS);
  const chosen = steps.filter((_, i) => (steps.length - 1 - i) % every === 0);
  const filters = applicableFilters(kpi, q.filters);
  const series: KpiReading['series'] = [];
  // One after another: on the embedded engine they would queue anyway.
  for (const step of chosen) {
    series.push({ at: step.at, value: await formula.read(sources, { period: { from: step.from, to: step.to }, filters, now: q.now }) });
  }
  return series;
}
