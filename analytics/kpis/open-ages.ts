import type { KpiFormula } from './kpi-definition';

/** The age buckets of open backlog and open backorders, in whole days (KPIS.md). */
export const AGE_BUCKETS = [
  { key: '0_2', label: '0–2 d', minDays: 0, maxDays: 2 },
  { key: '3_7', label: '3–7 d', minDays: 3, maxDays: 7 },
  { key: '8_14', label: '8–14 d', minDays: 8, maxDays: 14 },
  { key: '15_30', label: '15–30 d', minDays: 15, maxDays: 30 },
  { key: 'over_30', label: '> 30 d', minDays: 31, maxDays: Number.POSITIVE_INFINITY },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

const DAY = 86_400_000;

/** Age in whole days of an item opened on `day` (YYYY-MM-DD), on the day of the instant just before `at`. */
export function ageInDays(day: string, at: Date): number {
  const lastDay = Math.floor((at.getTime() - 1) / DAY);
  return lastDay - Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY);
}

/**
 * The part of `metric` open at the end of the period whose age falls in `bucket`. `metric` is a
 * level whose `detail` is the UTC day the item opened (families/order-backlog-family.ts): its
 * level at an instant, per detail, says what was open then and since when, so ages need no scan
 * of the facts.
 */
export function openByAge(metric: string, bucket: AgeBucket): KpiFormula {
  return {
    kind: 'derived',
    needs: { levels: [metric] },
    evaluate: ({ period, levels }) => {
      let total = 0;
      for (const sum of levels) {
        if (sum.metric !== metric) continue;
        const age = ageInDays(sum.detail, period.to);
        if (age >= bucket.minDays && age <= bucket.maxDays) total += sum.value;
      }
      return total;
    },
  };
}
