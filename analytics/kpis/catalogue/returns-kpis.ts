import type { Dimension } from '../board-view';
import { REFUND_AGE_BUCKETS } from '../families/refund-age-buckets';
import type { KpiDefinition, KpiPart } from '../kpi-definition';
import { shareOf, p90WithMedian } from './formula-shapes';
import { SHIPPED_SLICES } from './slices';

/** The reason codes the tile breaks returns down by (the sandbox's); any other code reads as "Other". */
export const RETURN_REASONS = [
  { code: 'size', label: 'Size' },
  { code: 'damaged', label: 'Damaged' },
  { code: 'wrong_item', label: 'Wrong item' },
  { code: 'not_as_described', label: 'Not as described' },
  { code: 'changed_mind', label: 'Changed mind' },
  { code: 'late', label: 'Late' },
  { code: 'defective', label: 'Defective' },
] as const;

const RETURNED = 'returns.cohort_units_returned';

/** Each reason's share of the returned units, then the share of every other code. */
const reasonMix: KpiPart[] = [
  ...RETURN_REASONS.map((r): KpiPart => ({
    key: `reason_${r.code}`,
    label: r.label,
    format: 'percent',
    value: shareOf([`${RETURNED}@${r.code}`], [RETURNED]),
  })),
  {
    key: 'reason_other',
    label: 'Other',
    format: 'percent',
    value: {
      kind: 'ratio',
      numerator: { plus: [RETURNED], minus: RETURN_REASONS.map((r) => `${RETURNED}@${r.code}`) },
      denominator: { plus: [RETURNED] },
    },
  },
];

/** Returns and refunds, known once the order's channel and region and the return's warehouse are. */
const AFTER_SALES_SLICES: readonly Dimension[] = ['channel', 'region', 'warehouse', 'category'];

/** Returns: return rate by reason, processing time, refund turnaround and backlog, recovery. */
export const returnsKpis: readonly KpiDefinition[] = [
  {
    key: 'return_rate',
    label: 'Return rate',
    section: 'returns',
    format: 'percent',
    help: 'Units on return requests that were not rejected ÷ units shipped, over the orders first shipped in the range (their ship cohort): a return counts against the range its order shipped in, whenever it is requested — Shopify books returns on the return date instead, which makes daily figures jump — so a recent range still rises as returns come in. Orders never shipped are left out. Beside it the reason mix: each reason code’s share of those returned units. Filtered by warehouse or carrier, the order’s first shipment decides; by category, each line’s SKU.',
    value: shareOf([RETURNED], ['returns.cohort_units_shipped']),
    parts: reasonMix,
    target: { direction: 'at_most', value: 0.176, amber: 0.03 },
    better: 'lower',
    dimensions: SHIPPED_SLICES,
    drillTo: 'returns',
  },
  {
    key: 'return_processing_time',
    label: 'Return processing time p90',
    section: 'returns',
    help: 'Per return inspected in the range: its first return.inspected − its first return.received. The 90th percentile, in hours (p50 beside it), from a duration sketch within ±1 %. Returns never received are left out. By warehouse, the one that received it; by category, that of its largest inspected line.',
    ...p90WithMedian('returns.processing_seconds', 'hours'),
    target: { direction: 'at_most', value: 72, amber: 24 },
    better: 'lower',
    dimensions: AFTER_SALES_SLICES,
    drillTo: 'returns',
  },
  {
    key: 'refund_turnaround',
    label: 'Refund turnaround p90',
    section: 'returns',
    help: 'Per refund first issued in the range: refund.issued − return.received of its return, or − refund.requested when it has no return or was issued before the return arrived. The 90th percentile, in days (p50 beside it), from a duration sketch within ±1 %. By category, that of the order’s largest line; by warehouse, the one that received the return.',
    ...p90WithMedian('refunds.turnaround_seconds', 'days'),
    target: { direction: 'at_most', value: 5, amber: 2 },
    better: 'lower',
    dimensions: AFTER_SALES_SLICES,
    drillTo: 'refunds',
  },
  {
    key: 'refund_backlog',
    label: 'Refund backlog',
    section: 'returns',
    format: 'count',
    help: 'Refunds requested and neither issued nor rejected at the end of the range (to the hour), however old; beside it the same by age since refund.requested. By category, that of the order’s largest line; by warehouse, the one that received the return.',
    value: { kind: 'level', terms: { plus: ['refunds.backlog'] } },
    parts: REFUND_AGE_BUCKETS.map((b): KpiPart => ({
      key: `age_${b.key}`,
      label: b.label,
      format: 'count',
      value: { kind: 'level', terms: { plus: [`refunds.backlog@${b.key}`] } },
    })),
    better: 'lower',
    dimensions: AFTER_SALES_SLICES,
    drillTo: 'refunds',
  },
  {
    key: 'recovery_rate',
    label: 'Recovery rate',
    section: 'returns',
    format: 'percent',
    help: 'Over the return lines inspected in the range that state a recovery value: Σ recovery value ÷ Σ what those units sold for on their order (units × the order’s price less discount for that SKU). Lines without a recovery value, or whose SKU is not on the order, are left out. Restocked units usually recover their full price. Beside it the value recovered.',
    value: shareOf(['returns.recovery_value'], ['returns.recovery_sale_value']),
    parts: [
      {
        key: 'recovered',
        label: 'Recovered',
        format: 'money',
        value: { kind: 'total', terms: { plus: ['returns.recovery_value'] } },
      },
    ],
    better: 'higher',
    dimensions: AFTER_SALES_SLICES,
    drillTo: 'returns',
  },
];
