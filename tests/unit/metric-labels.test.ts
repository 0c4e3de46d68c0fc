import { describe, expect, it } from 'vitest';
import { ledgerFamilies } from '@/analytics/kpis/families/ledger-families';
import { METRIC_LABELS, formatMetricValue, metricHeading } from '@/analytics/kpis/ledger/metric-labels';

describe('ledger metric headings', () => {
  it('every metric a family writes has a label, and no label is left over', () => {
    const written = new Set(ledgerFamilies.flatMap((f) => f.metrics));
    expect([...written].filter((m) => !(m in METRIC_LABELS))).toEqual([]);
    expect(Object.keys(METRIC_LABELS).filter((m) => !written.has(m))).toEqual([]);
  });
  it('heads a column with the label, and a detail after it', () => {
    expect(metricHeading('stock.cogs')).toBe('Cost of goods shipped');
    expect(metricHeading('refunds.backlog@over_7d')).toBe('Refunds waiting · over 7d');
  });
  it('shows money as money and counts as counts', () => {
    expect(formatMetricValue('stock.cogs', 1234.5)).toBe('$1,235');
    expect(formatMetricValue('refunds.issued_amount', 12.5)).toBe('$12.50');
    expect(formatMetricValue('orders.units', 3)).toBe('3');
    expect(formatMetricValue('refunds.backlog@over_7d', 2)).toBe('2');
  });
});
