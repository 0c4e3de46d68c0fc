import { formatKpiValue, type KpiFormat } from './kpi-value-format';

/** How a tile states its change against the range before, and whether that change is good news. */
export interface KpiChange {
  text: string;
  tone: 'good' | 'bad' | 'flat' | 'neutral';
}

const signed = (n: number, digits: number) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toFixed(digits)}`;

/**
 * The change from `previous` to `value`: percentage points for rates (a rate's relative change
 * misleads), percent for counts and money, the unit's own difference for durations and ratios.
 * Null when either side is missing: a change from or to "no data" is not a change.
 */
export function kpiChange(
  value: number | null,
  previous: number | null,
  format: KpiFormat,
  better: 'higher' | 'lower' | 'neither',
): KpiChange | null {
  if (value === null || previous === null || !Number.isFinite(value) || !Number.isFinite(previous)) return null;
  const diff = value - previous;
  const tone: KpiChange['tone'] =
    diff === 0 ? 'flat' : better === 'neither' ? 'neutral' : (diff > 0) === (better === 'higher') ? 'good' : 'bad';
  switch (format) {
    case 'percent':
      return { text: `${signed(diff * 100, 1)} pp`, tone };
    case 'hours':
      return { text: `${signed(diff, 1)} h`, tone };
    case 'days':
      return { text: `${signed(diff, 1)} d`, tone };
    case 'ratio':
      return { text: signed(diff, 2), tone };
    case 'count':
    case 'money':
      if (previous === 0) return { text: diff === 0 ? '±0 %' : 'new', tone };
      return { text: `${signed((diff / Math.abs(previous)) * 100, 1)} %`, tone };
  }
}

/** "≥ 99.7%" / "≤ 48.0 h": a target as its tile states it. */
export function targetText(target: { direction: 'at_least' | 'at_most'; value: number }, format: KpiFormat): string {
  return `${target.direction === 'at_least' ? '≥' : '≤'} ${formatKpiValue(target.value, format)}`;
}

export const STATUS_LABELS = { green: 'on target', amber: 'near target', red: 'off target' } as const;

/** Why a tile shows "—": rates and percentiles need something to divide or rank. */
export function noValueReason(format: KpiFormat): string {
  return format === 'count' || format === 'money' ? 'No data in this range' : 'Nothing to measure in this range yet';
}
