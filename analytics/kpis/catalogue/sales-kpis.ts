import type { KpiDefinition } from '../kpi-definition';
import { ORDER_SLICES } from './slices';

/** Sales: orders, units, gross and net sales (families/order-lines-family.ts, refunds for net). */
export const salesKpis: readonly KpiDefinition[] = [
  {
    key: 'orders',
    label: 'Orders',
    section: 'sales',
    format: 'count',
    help: 'Orders placed in the range (order.created, by the time the order was placed, whenever the event arrived). Filtered by category, an order counts under the category of its largest line.',
    value: { kind: 'total', terms: { plus: ['orders.created'] } },
    parts: [
      { key: 'units', label: 'Units', format: 'count', value: { kind: 'total', terms: { plus: ['orders.units'] } } },
    ],
    better: 'higher',
    dimensions: ORDER_SLICES,
    drillTo: 'orders',
  },
  {
    key: 'gross_sales',
    label: 'Gross sales',
    section: 'sales',
    format: 'money',
    help: 'Σ quantity × unit price − line discount over the lines of orders placed in the range, before refunds, shipping and tax. Filtered by category, only that category’s lines count.',
    value: { kind: 'total', terms: { plus: ['orders.gross_sales'] } },
    better: 'higher',
    dimensions: ORDER_SLICES,
    drillTo: 'orders',
  },
  {
    key: 'net_sales',
    label: 'Net sales',
    section: 'sales',
    format: 'money',
    help: 'Gross sales of the range − refunds issued in the range (refund.issued amounts, by the time they were issued, whenever their order was placed). Filtered by category, gross sales count that category’s lines and a refund counts under the category of its order’s largest line.',
    value: { kind: 'total', terms: { plus: ['orders.gross_sales'], minus: ['refunds.issued_amount'] } },
    better: 'higher',
    dimensions: ORDER_SLICES,
    drillTo: 'orders',
  },
];
