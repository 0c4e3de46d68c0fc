import { describe, expect, it } from 'vitest';
import { boardViewQuery, parseBoardView } from '@/analytics/kpis/board-view';
import { drillFilters, drillViewQuery, narrowDrill, parseDrillView, widenDrill } from '@/analytics/kpis/drill-view';
import { kpiStatus } from '@/analytics/kpis/kpi-status';
import { entityLink } from '@/components/kpi-drill/entity-href';
import { countEntities } from '@/lib/entity-kind';
import { compositeKey } from '@/lib/composite-key';
import { fromInput, toInput } from '@/components/admin/kpi-target-input';

describe('the board view in the URL', () => {
  it('round-trips a view through its canonical query string, defaults left out, keys in a stable order', () => {
    const v = parseBoardView(new URLSearchParams('category=home&range=custom&to=2026-03-09&from=2026-03-01&channel=web&utm=x'));
    expect(boardViewQuery(v)).toBe('range=custom&from=2026-03-01&to=2026-03-09&channel=web&category=home');
    expect(boardViewQuery(parseBoardView(new URLSearchParams(boardViewQuery(v))))).toBe(boardViewQuery(v));
    expect(boardViewQuery(parseBoardView({}))).toBe('');
  });

  it('falls back to today for a view it cannot read', () => {
    expect(parseBoardView(new URLSearchParams('range=custom&from=2026-03-09&to=2026-03-01')).range).toBe('today');
    expect(parseBoardView({ range: 'forever' }).range).toBe('today');
  });
});

describe('the drill-down in the URL', () => {
  it('keeps the board view, adds carrier and supplier, and the list flag', () => {
    const d = parseDrillView(new URLSearchParams('range=7d&channel=web&carrier=ups&list=1&junk=1'));
    expect(drillViewQuery(d)).toBe('range=7d&channel=web&carrier=ups&list=1');
    expect(drillFilters(d)).toEqual({ channel: 'web', carrier: 'ups' });
  });

  it('narrows to a clicked value (closing the list) and widens back', () => {
    const d = parseDrillView(new URLSearchParams('range=30d&list=1'));
    const byRegion = narrowDrill(d, 'region', 'west');
    expect(drillViewQuery(byRegion)).toBe('range=30d&region=west');
    const bySupplier = narrowDrill(byRegion, 'supplier', 'acme & co');
    expect(drillViewQuery(bySupplier)).toBe('range=30d&region=west&supplier=acme+%26+co');
    expect(drillViewQuery(widenDrill(bySupplier, 'region'))).toBe('range=30d&supplier=acme+%26+co');
    expect(drillViewQuery(widenDrill(bySupplier, 'supplier'))).toBe('range=30d&region=west');
  });
});

describe('kpiStatus', () => {
  const atLeast = { direction: 'at_least' as const, value: 0.99, amber: 0.02 };
  const atMost = { direction: 'at_most' as const, value: 48, amber: 12 };
  it('is green on the right side, amber within the band, red beyond', () => {
    expect(kpiStatus(0.995, atLeast)).toBe('green');
    expect(kpiStatus(0.99, atLeast)).toBe('green');
    expect(kpiStatus(0.975, atLeast)).toBe('amber');
    expect(kpiStatus(0.96, atLeast)).toBe('red');
    expect(kpiStatus(40, atMost)).toBe('green');
    expect(kpiStatus(60, atMost)).toBe('amber');
    expect(kpiStatus(60.5, atMost)).toBe('red');
  });
  it('has no colour without a value or a target', () => {
    expect(kpiStatus(null, atLeast)).toBeNull();
    expect(kpiStatus(1, null)).toBeNull();
  });
});

describe('entity links and target inputs', () => {
  it('opens each entity’s drill-through page', () => {
    expect(entityLink('order', 'SO 1/2')).toEqual({ href: '/orders/SO%201%2F2', label: 'SO 1/2' });
    expect(entityLink('return', 'R-1').href).toBe('/returns/R-1');
    // No page of their own: named, not linked.
    expect(entityLink('purchase-order', 'PO-1')).toEqual({ href: null, label: 'PO-1' });
    expect(entityLink('refund', 'RF-1').href).toBeNull();
    expect(entityLink('pick', 'PK-1').href).toBeNull();
    // Stock positions key a SKU at a warehouse (and a day): the SKU's page, narrowed to the warehouse.
    expect(entityLink('stock-position', compositeKey('WH 1', 'SKU/1'))).toEqual({
      href: '/skus/SKU%2F1?warehouse=WH%201',
      label: 'SKU/1 at WH 1',
    });
    expect(entityLink('stock-position-day', compositeKey('WH1', 'SKU-1', '2026-03-10'))).toEqual({
      href: '/skus/SKU-1?warehouse=WH1',
      label: 'SKU-1 at WH1 on 2026-03-10',
    });
    expect(countEntities(1, 'order')).toBe('1 order');
    expect(countEntities(1200, 'stock-position-day')).toBe('1,200 SKU-days at a warehouse');
  });
  it('takes percentages in percent and keeps fractions', () => {
    expect(fromInput('99.7', 'percent')).toBeCloseTo(0.997, 12);
    expect(toInput(0.997, 'percent')).toBe('99.7');
    expect(fromInput('48', 'hours')).toBe(48);
    expect(fromInput('', 'count')).toBeNull();
    expect(fromInput('abc', 'count')).toBeNull();
  });
});
