/** The formats of analytics/kpis/kpi-definition.ts (lib imports nothing of ours, so it is spelled out here). */
export type KpiFormat = 'count' | 'money' | 'percent' | 'hours' | 'days' | 'ratio';

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const centsFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const dollarsFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const millionsFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const percentFormat = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
// A small share (0.05 %) must not read as zero.
const smallPercentFormat = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

const oneDecimalFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimalsFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Shown instead of a value the board cannot state. */
export const MISSING_VALUE = '—';

/**
 * Formats a KPI value for a tile. Percent values are ratios (0.973 → "97.3%"). Money above a
 * thousand drops the cents, which only add noise on a wall screen.
 */
export function formatKpiValue(value: number | null, format: KpiFormat): string {
  if (value === null || !Number.isFinite(value)) return MISSING_VALUE;
  switch (format) {
    case 'count':
      return countFormat.format(value);
    case 'money':
      // Millions go compact so a tile stays readable on a wall screen; the exact figure is in its tooltip.
      if (Math.abs(value) >= 1_000_000) return millionsFormat.format(value);
      return (Math.abs(value) >= 1000 ? dollarsFormat : centsFormat).format(value);
    case 'percent':
      return (value !== 0 && Math.abs(value) < 0.01 ? smallPercentFormat : percentFormat).format(value);
    case 'hours':
      return `${oneDecimalFormat.format(value)} h`;
    case 'days':
      return `${oneDecimalFormat.format(value)} d`;
    case 'ratio':
      return `${twoDecimalsFormat.format(value)}×`;
  }
}

/** Why a tile shows no value, in words the viewer can act on. */
export function missingValueReason(format: KpiFormat, scope: string): string {
  return format === 'percent'
    ? `No orders ${scope.toLowerCase()} yet, so nothing to divide by`
    : `No data ${scope.toLowerCase()} yet`;
}
