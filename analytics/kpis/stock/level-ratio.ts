import { evaluateFormula } from '../evaluate-formula';
import type { KpiFormula, MetricRef } from '../kpi-definition';
import { metricsOf } from '../kpi-definition';

/**
 * A ratio of two level metrics as of the end of the range (e.g. pairs out of stock ÷ active pairs):
 * both running totals up to the range end; null when the denominator is 0.
 */
export function levelRatio(numerator: MetricRef, denominator: MetricRef): KpiFormula {
  const formula = { kind: 'ratio', numerator: { plus: [numerator] }, denominator: { plus: [denominator] } } as const;
  return {
    kind: 'derived',
    needs: { levels: metricsOf(formula) },
    evaluate: (sums) => evaluateFormula(formula, sums.levels),
    // Behind the number: what the numerator counts at the end of the range.
    listBy: { kind: 'level', terms: { plus: [numerator] } },
  };
}
