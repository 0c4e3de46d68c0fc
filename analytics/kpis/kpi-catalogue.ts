import { exceptionKpis } from './catalogue/exception-kpis';
import { financeKpis } from './catalogue/finance-kpis';
import { fulfilmentKpis } from './catalogue/fulfilment-kpis';
import { returnsKpis } from './catalogue/returns-kpis';
import { salesKpis } from './catalogue/sales-kpis';
import { stockKpis } from './catalogue/stock-kpis';
import type { KpiDefinition } from './kpi-definition';

/**
 * The KPI catalogue of ../shared/KPIS.md, in board order. Each formula names ledger metrics that
 * the families in ./families write (each family says what one entity contributes, and when).
 * Percent values are fractions (0.25 = 25 %). Money sums amounts as sent, whatever the currency.
 */
export const kpiCatalogue: readonly KpiDefinition[] = [
  ...salesKpis,
  ...fulfilmentKpis,
  ...stockKpis,
  ...returnsKpis,
  ...financeKpis,
  ...exceptionKpis,
];

export function kpiDefinition(key: string): KpiDefinition | undefined {
  return kpiCatalogue.find((k) => k.key === key);
}
