import type { KpiDefinition, KpiFormula, MetricRef } from '../kpi-definition';

/** Σ numerator ÷ Σ denominator over the period, each a sum of ledger metrics. */
export function shareOf(numerator: readonly MetricRef[], denominator: readonly MetricRef[]): KpiFormula {
  return { kind: 'ratio', numerator: { plus: numerator }, denominator: { plus: denominator } };
}

/** A duration KPI: its 90th percentile as the value, with the median beside it. */
export function p90WithMedian(
  metric: MetricRef,
  unit: 'hours' | 'days',
): Pick<KpiDefinition, 'format' | 'value' | 'parts'> {
  return {
    format: unit,
    value: { kind: 'quantile', metric, q: 0.9, unit },
    parts: [{ key: 'p50', label: 'p50', format: unit, value: { kind: 'quantile', metric, q: 0.5, unit } }],
  };
}
