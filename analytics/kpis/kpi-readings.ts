import type { Dimension, ViewPeriods } from './board-view';
import { evaluateFormula } from './evaluate-formula';
import type { KpiDefinition, KpiFormula, KpiSources, PeriodSums } from './kpi-definition';
import { metricsOf } from './kpi-definition';
import { readLedgerSlices } from './ledger/read-ledger';
import { viewSlices, viewSums, type SumsRequest, type ViewSums } from './period-sums';

export interface KpiReading {
  key: string;
  value: number | null;
  previous: number | null;
  /** The trend over the current period, one point per hour or day; null is a gap, not zero. */
  series: { at: string; value: number | null }[];
  parts: { key: string; value: number | null; previous: number | null }[];
  /** The view's filters this KPI could not apply (it has no such slice). */
  unfiltered: Dimension[];
}

/**
 * Filters as readKpis applies them: the board's four, and in drill-downs carrier and supplier too.
 * A KPI applies only those of its own `dimensions`.
 */
export type SliceFilters = Partial<Record<Dimension, string>>;

const DAY = 86_400_000;

/**
 * Every KPI of `kpis` for the periods of one view, from one ledger statement: KPIs that accept the
 * same filters share their slices, and every group's slices go in the same statement. Only custom
 * KPIs (read from elsewhere) query on their own.
 */
export async function readKpis(
  sources: KpiSources,
  kpis: readonly KpiDefinition[],
  q: { periods: ViewPeriods; filters: SliceFilters; now: Date },
): Promise<KpiReading[]> {
  return readKpiRequests(
    sources,
    kpis.map((kpi) => ({ kpi, filters: q.filters })),
    q,
  );
}

/** One KPI under the filters it is asked with (a breakdown asks for one KPI under many). */
export interface KpiRequest {
  kpi: KpiDefinition;
  filters: SliceFilters;
}

/** As readKpis, each KPI under its own filters, still from one ledger statement; readings in request order. */
export async function readKpiRequests(
  sources: KpiSources,
  requests: readonly KpiRequest[],
  q: { periods: ViewPeriods; now: Date },
): Promise<KpiReading[]> {
  const groups = new Map<string, { request: SumsRequest; members: { at: number; kpi: KpiDefinition; asked: SliceFilters }[] }>();
  requests.forEach(({ kpi, filters: asked }, at) => {
    const filters = applicableFilters(kpi, asked);
    const key = JSON.stringify(filters);
    const group = groups.get(key) ?? { request: { filters, flows: [], levels: [] }, members: [] };
    group.members.push({ at, kpi, asked });
    groups.set(key, group);
  });
  for (const { request, members } of groups.values()) {
    const formulas = members.flatMap(({ kpi }) => [kpi.value, ...(kpi.parts ?? []).map((p) => p.value)]);
    request.flows = unique(formulas.flatMap(flowMetrics));
    request.levels = unique(formulas.flatMap(levelMetrics));
  }
  const slices = [...groups.values()].map((g) => viewSlices(q.periods, g.request));
  const read =
    sources.heldReads && !sources.ledgerSource
      ? await sources.heldReads.read(sources.analytics, { filters: {}, slices: slices.flat() })
      : await readLedgerSlices(sources.analytics, { filters: {}, source: sources.ledgerSource, slices: slices.flat() });

  // Custom KPIs read on their own: every KPI is evaluated at once, so those reads overlap.
  const readings: KpiReading[] = new Array<KpiReading>(requests.length);
  await Promise.all(
    [...groups.values()].flatMap((group, i) => {
      const first = slices.slice(0, i).reduce((n, own) => n + own.length, 0);
      const sums = viewSums(q.periods, read.slice(first, first + slices[i].length));
      return group.members.map(async ({ at, kpi, asked }) => {
        readings[at] = {
          ...(await readKpi(sources, kpi, sums, { filters: group.request.filters, now: q.now })),
          unfiltered: Object.keys(asked).filter((d) => !kpi.dimensions.includes(d as Dimension)) as Dimension[],
        };
      });
    }),
  );
  return readings;
}

export function applicableFilters(kpi: KpiDefinition, filters: SliceFilters): SliceFilters {
  return Object.fromEntries(Object.entries(filters).filter(([d]) => kpi.dimensions.includes(d as Dimension)));
}

function flowMetrics(formula: KpiFormula): string[] {
  if (formula.kind === 'derived') return [...(formula.needs.flows ?? [])];
  return formula.kind === 'level' || formula.kind === 'custom' ? [] : metricsOf(formula);
}

function levelMetrics(formula: KpiFormula): string[] {
  if (formula.kind === 'derived') return [...(formula.needs.levels ?? [])];
  return formula.kind === 'level' ? metricsOf(formula) : [];
}

async function readKpi(
  sources: KpiSources,
  kpi: KpiDefinition,
  sums: ViewSums,
  q: { filters: SliceFilters; now: Date },
): Promise<Omit<KpiReading, 'unfiltered'>> {
  const evaluate = (formula: KpiFormula, at: PeriodSums): Promise<number | null> | number | null => {
    if (formula.kind === 'custom') return formula.read(sources, { period: at.period, filters: q.filters, now: q.now });
    if (formula.kind === 'derived') return formula.evaluate(at);
    if (formula.kind === 'level') return evaluateFormula(formula, at.levels);
    const value = evaluateFormula(formula, at.flows);
    const length = at.period.to.getTime() - at.period.from.getTime();
    return formula.kind === 'ratio' && formula.annualise && value !== null
      ? value * ((365 * DAY) / Math.max(DAY / 24, length))
      : value;
  };
  // A trend point is the formula over that hour or day, not annualised. Custom KPIs have none here:
  // a read per point is too dear for every tick; drill-downs read theirs (custom-trend.ts).
  const point = (formula: KpiFormula, at: PeriodSums): number | null => {
    if (formula.kind === 'derived') return formula.evaluate(at);
    if (formula.kind === 'custom') return null;
    return evaluateFormula(formula, formula.kind === 'level' ? at.levels : at.flows);
  };
  const [value, previous, parts] = await Promise.all([
    evaluate(kpi.value, sums.current),
    evaluate(kpi.value, sums.previous),
    Promise.all(
      (kpi.parts ?? []).map(async (part) => ({
        key: part.key,
        value: await evaluate(part.value, sums.current),
        previous: await evaluate(part.value, sums.previous),
      })),
    ),
  ]);
  const series =
    kpi.value.kind === 'custom' ? [] : sums.steps.map((s) => ({ at: s.at, value: point(kpi.value, s.sums) }));
  return { key: kpi.key, value, previous, series, parts };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
