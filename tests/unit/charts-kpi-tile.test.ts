import { describe, expect, it } from 'vitest';
import { sparklineDomain, sparklinePoints } from '@/lib/charts/kpi-sparkline';
import { kpiChange, targetText } from '@/lib/charts/kpi-tile-text';
import { formatKpiValue } from '@/lib/charts/kpi-value-format';

describe('sparkline shaping', () => {
  it('labels hours and days, and keeps gaps as gaps', () => {
    const points = sparklinePoints([
      { at: '2026-03-10 08:00:00', value: 3 },
      { at: '2026-03-10 09:00:00', value: null },
      { at: '2026-03-10 10:00:00', value: Number.NaN },
    ]);
    expect(points.map((p) => p.label)).toEqual(['08:00', '09:00', '10:00']);
    expect(points.map((p) => p.value)).toEqual([3, null, null]);
    expect(sparklinePoints([{ at: '2026-03-09', value: 1 }])[0].label).toBe('03-09');
  });
  it('pads the range without crossing zero, centres a flat line, and draws nothing without values', () => {
    expect(sparklineDomain(sparklinePoints([{ at: 'a', value: 0 }, { at: 'b', value: 10 }]))).toEqual([0, 11]);
    expect(sparklineDomain(sparklinePoints([{ at: 'a', value: 20 }, { at: 'b', value: 30 }]))).toEqual([19, 31]);
    expect(sparklineDomain(sparklinePoints([{ at: 'a', value: 5 }]))).toEqual([4.5, 5.5]);
    expect(sparklineDomain(sparklinePoints([{ at: 'a', value: 0 }]))).toEqual([0, 1]);
    expect(sparklineDomain(sparklinePoints([{ at: 'a', value: -4 }, { at: 'b', value: 0 }]))).toEqual([-4.4, 0]);
    expect(sparklineDomain(sparklinePoints([{ at: 'a', value: -5 }, { at: 'b', value: 5 }]))).toEqual([-6, 6]);
    expect(sparklineDomain(sparklinePoints([{ at: 'a', value: null }]))).toBeNull();
  });
});

describe('change against the range before', () => {
  it('states rates in points, counts in percent, durations in their unit', () => {
    expect(kpiChange(0.97, 0.95, 'percent', 'higher')).toEqual({ text: '+2.0 pp', tone: 'good' });
    expect(kpiChange(110, 100, 'count', 'higher')).toEqual({ text: '+10.0 %', tone: 'good' });
    expect(kpiChange(30, 40, 'hours', 'lower')).toEqual({ text: '−10.0 h', tone: 'good' });
    expect(kpiChange(50, 40, 'hours', 'lower')).toEqual({ text: '+10.0 h', tone: 'bad' });
    expect(kpiChange(5, 0, 'money', 'neither')).toEqual({ text: 'new', tone: 'neutral' });
    expect(kpiChange(5, 5, 'count', 'higher')).toEqual({ text: '±0.0 %', tone: 'flat' });
  });
  it('is null from or to "no data"', () => {
    expect(kpiChange(null, 1, 'count', 'higher')).toBeNull();
    expect(kpiChange(1, null, 'percent', 'higher')).toBeNull();
  });
  it('states a target in the KPI’s own format', () => {
    expect(targetText({ direction: 'at_least', value: 0.997 }, 'percent')).toBe('≥ 99.7%');
    expect(targetText({ direction: 'at_most', value: 48 }, 'hours')).toBe('≤ 48.0 h');
    expect(formatKpiValue(1.234, 'ratio')).toBe('1.23×');
    expect(formatKpiValue(2.54, 'days')).toBe('2.5 d');
  });
});
