import { formatKpiValue } from '@/lib/charts/kpi-value-format';
import { parseMetricRef } from '../kpi-definition';

/**
 * What each ledger metric counts, in an ops lead's words, and whether it counts things or money:
 * the column headings and cells of the lists behind a KPI's number. Every metric a family writes
 * has one (a unit test holds them to it). Duration metrics count what was timed.
 */
export const METRIC_LABELS: Readonly<Record<string, { label: string; format: 'count' | 'money' }>> = {
  'orders.created': { label: 'Orders placed', format: 'count' },
  'orders.units': { label: 'Units ordered', format: 'count' },
  'orders.gross_sales': { label: 'Gross sales', format: 'money' },
  'ship.cycle_seconds': { label: 'Orders timed to ship', format: 'count' },
  'ship.orders': { label: 'Orders shipped', format: 'count' },
  'ship.with_promise': { label: 'Shipped with a promise', format: 'count' },
  'ship.on_time': { label: 'Shipped on time', format: 'count' },
  'ship.shipping_cost': { label: 'Shipping cost', format: 'money' },
  'ship.pick_pack_cost': { label: 'Pick and pack cost', format: 'money' },
  'fill.orders': { label: 'Orders first shipped', format: 'count' },
  'fill.orders_complete': { label: 'Complete in first shipment', format: 'count' },
  'fill.units_ordered': { label: 'Units ordered', format: 'count' },
  'fill.units_first_shipment': { label: 'Units in first shipment', format: 'count' },
  'fill.lines': { label: 'Lines', format: 'count' },
  'fill.lines_complete': { label: 'Lines complete', format: 'count' },
  'perfect.orders': { label: 'Orders judged', format: 'count' },
  'perfect.perfect': { label: 'Perfect orders', format: 'count' },
  'delivery.with_promise': { label: 'Delivered with a promise', format: 'count' },
  'delivery.on_time': { label: 'Delivered on time', format: 'count' },
  'backlog.open': { label: 'In the backlog', format: 'count' },
  'backorder.orders': { label: 'Orders backordered', format: 'count' },
  'backorder.open': { label: 'Backorders open', format: 'count' },
  'backorder.open_units': { label: 'Backordered units open', format: 'count' },
  'backorder.open_value': { label: 'Backordered value open', format: 'money' },
  'cancel.orders': { label: 'Orders cancelled', format: 'count' },
  'pick.units_required': { label: 'Units to pick', format: 'count' },
  'pick.units_wrong': { label: 'Units picked wrong', format: 'count' },
  'returns.cohort_units_shipped': { label: 'Units shipped', format: 'count' },
  'returns.cohort_units_returned': { label: 'Units returned', format: 'count' },
  'margin.cogs_shipped': { label: 'Cost of goods shipped', format: 'money' },
  'returns.processing_seconds': { label: 'Returns timed', format: 'count' },
  'returns.received_cost': { label: 'Cost of units received back', format: 'money' },
  'returns.inspected_cost': { label: 'Cost of units inspected', format: 'money' },
  'returns.recovery_value': { label: 'Value recovered', format: 'money' },
  'returns.recovery_sale_value': { label: 'Sold for', format: 'money' },
  'refunds.issued_amount': { label: 'Refunded', format: 'money' },
  'refunds.turnaround_seconds': { label: 'Refunds timed', format: 'count' },
  'refunds.backlog': { label: 'Refunds waiting', format: 'count' },
  'count.counted': { label: 'Counts', format: 'count' },
  'count.within_tolerance': { label: 'Counts within tolerance', format: 'count' },
  'stock.on_hand_units': { label: 'Units on hand', format: 'count' },
  'stock.on_hand_value': { label: 'Stock value', format: 'money' },
  'stock.pairs_active': { label: 'Stocked (SKU at warehouse)', format: 'count' },
  'stock.pairs_out': { label: 'Out of stock', format: 'count' },
  'stockout.orders_affected': { label: 'Orders hit by a stockout', format: 'count' },
  'stock.cogs': { label: 'Cost of goods shipped', format: 'money' },
  'supplier.lines_due': { label: 'PO lines due', format: 'count' },
  'supplier.lines_on_time': { label: 'On time', format: 'count' },
  'supplier.lines_in_full': { label: 'In full', format: 'count' },
  'supplier.lines_otif': { label: 'On time and in full', format: 'count' },
};

/** A heading for a ledger metric reference ('metric' or 'metric@detail'): its label, the detail after it. */
export function metricHeading(ref: string): string {
  const { metric, detail } = parseMetricRef(ref);
  const label = METRIC_LABELS[metric]?.label ?? metric;
  return detail ? `${label} · ${detail.replaceAll('_', ' ')}` : label;
}

/** A ledger metric's value as a list cell: money as money, counts as counts. */
export function formatMetricValue(ref: string, value: number): string {
  const format = METRIC_LABELS[parseMetricRef(ref).metric]?.format;
  return format ? formatKpiValue(value, format) : value.toLocaleString('en-US', { maximumFractionDigits: 4 });
}
