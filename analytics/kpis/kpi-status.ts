import type { KpiTarget } from './kpi-definition';

export type KpiStatus = 'green' | 'amber' | 'red';

/** Red/amber/green of a value against its target; null when there is no value or no target. */
export function kpiStatus(value: number | null, target: KpiTarget | null | undefined): KpiStatus | null {
  if (value === null || !target) return null;
  const shortfall = target.direction === 'at_least' ? target.value - value : value - target.value;
  if (shortfall <= 0) return 'green';
  return shortfall <= target.amber ? 'amber' : 'red';
}
