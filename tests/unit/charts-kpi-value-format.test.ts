import { describe, expect, it } from 'vitest';
import { formatKpiValue, missingValueReason } from '@/lib/charts/kpi-value-format';

describe('formatKpiValue', () => {
  it('writes counts with thousands separators', () => {
    expect(formatKpiValue(1234567, 'count')).toBe('1,234,567');
    expect(formatKpiValue(0, 'count')).toBe('0');
  });

  it('writes money as USD, dropping cents from a thousand up', () => {
    expect(formatKpiValue(999.5, 'money')).toBe('$999.50');
    expect(formatKpiValue(12345.67, 'money')).toBe('$12,346');
    expect(formatKpiValue(0, 'money')).toBe('$0.00');
    expect(formatKpiValue(2_541_947.2, 'money')).toBe('$2.54M');
  });

  it('writes a ratio as a percent with one decimal', () => {
    expect(formatKpiValue(0.9734, 'percent')).toBe('97.3%');
    expect(formatKpiValue(1, 'percent')).toBe('100.0%');
    expect(formatKpiValue(0, 'percent')).toBe('0.0%');
    expect(formatKpiValue(0.00048, 'percent')).toBe('0.05%');
  });

  it('shows a dash, never NaN, for a value the board cannot state', () => {
    expect(formatKpiValue(null, 'percent')).toBe('—');
    expect(formatKpiValue(Number.NaN, 'count')).toBe('—');
    expect(formatKpiValue(Number.POSITIVE_INFINITY, 'money')).toBe('—');
  });
});

describe('missingValueReason', () => {
  it('explains a missing rate by its empty denominator and names the scope', () => {
    expect(missingValueReason('percent', 'Shipped today')).toBe('No orders shipped today yet, so nothing to divide by');
    expect(missingValueReason('count', 'Today')).toBe('No data today yet');
  });
});
