import type { KpiFormat } from '@/lib/charts/kpi-value-format';

/** Admins type percentages as percent (99.7); the store and the board keep fractions (0.997). */
export function inputScale(format: KpiFormat): number {
  return format === 'percent' ? 100 : 1;
}

export function toInput(value: number, format: KpiFormat): string {
  return String(Number((value * inputScale(format)).toPrecision(12)));
}

export function fromInput(text: string, format: KpiFormat): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n / inputScale(format) : null;
}

export const UNIT_HINTS: Record<KpiFormat, string> = {
  count: '',
  money: '$',
  percent: '%',
  hours: 'h',
  days: 'd',
  ratio: '×',
};
