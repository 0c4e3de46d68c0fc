import type { KpiDefinition, Terms } from '../kpi-definition';
import { ORDER_SLICES } from './slices';

/**
 * The terms of gross margin after returns. Restocked units go back to stock at cost and are sold
 * again (that sale counts then), so they are neither a loss nor a recovery; every other
 * disposition writes the units off at cost and credits what they still fetch.
 */
const NET_SALES: Terms = { plus: ['orders.gross_sales'], minus: ['refunds.issued_amount'] };
const COGS_OF_KEPT_UNITS: Terms = { plus: ['margin.cogs_shipped'], minus: ['returns.received_cost'] };
const SHIPPING_COST: Terms = { plus: ['ship.shipping_cost'] };
const REFUND_LOSSES: Terms = { plus: ['returns.inspected_cost'], minus: ['returns.inspected_cost@restock'] };
const RECOVERY: Terms = { plus: ['returns.recovery_value'], minus: ['returns.recovery_value@restock'] };

/** Σ `added` − Σ `subtracted`, as one set of terms. */
function combine(added: readonly Terms[], subtracted: readonly Terms[]): Terms {
  return {
    plus: [...added.flatMap((t) => t.plus), ...subtracted.flatMap((t) => t.minus ?? [])],
    minus: [...added.flatMap((t) => t.minus ?? []), ...subtracted.flatMap((t) => t.plus)],
  };
}

const GROSS_MARGIN = combine([NET_SALES, RECOVERY], [COGS_OF_KEPT_UNITS, SHIPPING_COST, REFUND_LOSSES]);

/** Finance: gross margin after returns (fulfilment cost per order is with the fulfilment KPIs). */
export const financeKpis: readonly KpiDefinition[] = [
  {
    key: 'gross_margin_after_returns',
    label: 'Gross margin after returns',
    section: 'finance',
    format: 'percent',
    help: '(net sales − COGS of kept units − shipping cost − refund losses + recovery) ÷ net sales, over the range. Net sales: gross sales of orders placed − refunds issued. COGS of kept units: units shipped × unit cost − units received back × unit cost (unit cost: the order line’s unit_cost, else the product’s standard cost, else 0). Shipping cost: the shipping_cost of shipments made. Refund losses: returned units inspected with a disposition other than restock, at unit cost (written off). Recovery: the recovery value of those same lines. Restocked units return to stock at cost: neither loss nor recovery. Each term is booked when it happens (order, shipment, receipt, inspection, issue), so a range mixes orders of different ages.',
    value: { kind: 'ratio', numerator: GROSS_MARGIN, denominator: NET_SALES },
    parts: [
      { key: 'gross_margin', label: 'Gross margin', format: 'money', value: { kind: 'total', terms: GROSS_MARGIN } },
      { key: 'net_sales', label: 'Net sales', format: 'money', value: { kind: 'total', terms: NET_SALES } },
      {
        key: 'cogs_kept',
        label: 'COGS of kept units',
        format: 'money',
        value: { kind: 'total', terms: COGS_OF_KEPT_UNITS },
      },
      { key: 'shipping_cost', label: 'Shipping cost', format: 'money', value: { kind: 'total', terms: SHIPPING_COST } },
      { key: 'refund_losses', label: 'Refund losses', format: 'money', value: { kind: 'total', terms: REFUND_LOSSES } },
      { key: 'recovery', label: 'Recovery', format: 'money', value: { kind: 'total', terms: RECOVERY } },
    ],
    better: 'higher',
    dimensions: ORDER_SLICES,
    drillTo: 'orders',
  },
];
