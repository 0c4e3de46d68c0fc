import { bucketSeconds } from './ledger/ledger-family';
import type { LedgerSum } from './ledger/read-ledger';
import { parseMetricRef, type KpiFormula, type MetricRef, type Terms } from './kpi-definition';

/**
 * A ledger formula's value from the sums of one group (one period, one day, one channel …).
 * Pure: the board, the drill-downs and the tests evaluate the same definitions the same way.
 * Rates with nothing to divide by are null ("no data" must never read as 0 %).
 */
export function evaluateFormula(formula: KpiFormula, sums: readonly LedgerSum[]): number | null {
  switch (formula.kind) {
    case 'total':
    case 'level':
      return termsTotal(formula.terms, sums);
    case 'ratio': {
      const denominator = termsTotal(formula.denominator, sums);
      if (denominator === 0) return null;
      const share = termsTotal(formula.numerator, sums) / denominator;
      return formula.complement ? 1 - share : share;
    }
    case 'quantile': {
      const seconds = sketchQuantile(
        matching(formula.metric, sums),
        formula.q,
      );
      if (seconds === null) return null;
      return seconds / (formula.unit === 'hours' ? 3_600 : 86_400);
    }
    case 'derived':
    case 'custom':
      throw new Error(`${formula.kind} KPI formulas are read with their periods, not evaluated from one group's sums`);
  }
}

/** Sums by metric, indexed once per list: a board refresh weighs the same lists for every tile. */
const indexes = new WeakMap<readonly LedgerSum[], Map<string, LedgerSum[]>>();

function matching(ref: MetricRef, sums: readonly LedgerSum[]): readonly LedgerSum[] {
  let index = indexes.get(sums);
  if (!index) {
    index = new Map();
    for (const s of sums) {
      const list = index.get(s.metric);
      if (list) list.push(s);
      else index.set(s.metric, [s]);
    }
    indexes.set(sums, index);
  }
  const { metric, detail } = parseMetricRef(ref);
  const list = index.get(metric) ?? [];
  return detail === null ? list : list.filter((s) => s.detail === detail);
}

function termsTotal(terms: Terms, sums: readonly LedgerSum[]): number {
  let total = 0;
  for (const ref of terms.plus) for (const s of matching(ref, sums)) total += s.value;
  for (const ref of terms.minus ?? []) for (const s of matching(ref, sums)) total -= s.value;
  return total;
}

/** The q-quantile (0–1) of a duration sketch, in seconds, within the sketch's ±1 %; null when empty. */
export function sketchQuantile(sums: readonly LedgerSum[], q: number): number | null {
  const counts = new Map<number, number>();
  for (const s of sums) counts.set(s.bucket, (counts.get(s.bucket) ?? 0) + s.value);
  const buckets = [...counts.entries()].filter(([, n]) => n > 0).sort((x, y) => x[0] - y[0]);
  const total = buckets.reduce((acc, [, n]) => acc + n, 0);
  if (total <= 0) return null;
  // The rank of the nearest-rank definition: the smallest value with at least q of all below or at it.
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= rank) return bucketSeconds(bucket);
  }
  return bucketSeconds(buckets[buckets.length - 1][0]);
}
