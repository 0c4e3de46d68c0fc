import { linesOf, numberOf, sumOf, textOf, type Payload } from '@/analytics/drill-through/payload-fields';
import { formatMoney, formatUtc } from './format';

const HOLD_WORDS: Record<string, string> = {
  fraud_review: 'a fraud review',
  payment: 'payment',
  address: 'an address check',
  credit: 'a credit check',
  manual: 'a manual hold',
};

const qtyWord = (n: number) => `${n} unit${n === 1 ? '' : 's'}`;
const opt = (text: string, wrap: (t: string) => string) => (text ? wrap(text) : '');
const skuList = (lines: Payload[], qtyKey = 'qty') => lines.map((l) => `${textOf(l, 'sku')} × ${numberOf(l, qtyKey)}`).join(', ');
const distinctWords = (lines: Payload[], key: string) => [...new Set(lines.map((l) => textOf(l, key)).filter(Boolean))].join(', ');

type Describe = (d: Payload, currency: string) => string;

const WORDS: Record<string, Describe> = {
  'order.created': (d, c) => {
    const lines = linesOf(d);
    const gross = lines.reduce((s, l) => s + numberOf(l, 'qty') * numberOf(l, 'unit_price') - numberOf(l, 'discount'), 0);
    return `Order placed on ${textOf(d, 'channel')}: ${skuList(lines)}, ${formatMoney(gross, c)}${opt(textOf(d, 'promised_ship_by'), (t) => `; promised to ship by ${formatUtc(t)}`)}`;
  },
  'order.payment_authorized': (d, c) => `Payment of ${formatMoney(numberOf(d, 'amount'), c)} authorised`,
  'order.payment_failed': (d) => `Payment failed: ${textOf(d, 'reason')}`,
  'order.held': (d) => `Held for ${HOLD_WORDS[textOf(d, 'reason')] ?? textOf(d, 'reason')}${opt(textOf(d, 'note'), (t) => ` — “${t}”`)}`,
  'order.released': (d) => `Hold released${opt(textOf(d, 'by'), (t) => ` by ${t}`)}`,
  'order.allocated': (d) => `Allocated to ${textOf(d, 'warehouse')}: ${skuList(linesOf(d))}`,
  'order.backordered': (d) =>
    `Backordered: ${skuList(linesOf(d), 'qty_short')} short${opt(textOf(d, 'warehouse'), (t) => ` at ${t}`)}${opt(textOf(d, 'expected_at'), (t) => `, expected ${formatUtc(t)}`)}`,
  'order.cancelled': (d) => `Cancelled by the ${textOf(d, 'initiated_by')}: ${textOf(d, 'reason')}`,
  'order.shipped': (d, c) =>
    `Shipped ${qtyWord(sumOf(linesOf(d), 'qty'))} from ${textOf(d, 'warehouse')} with ${textOf(d, 'carrier')}${opt(textOf(d, 'service'), (t) => ` ${t}`)} (shipment ${textOf(d, 'shipment_id')}${opt(textOf(d, 'tracking'), (t) => `, tracking ${t}`)})${'shipping_cost' in d ? `; shipping cost ${formatMoney(numberOf(d, 'shipping_cost'), c)}` : ''}`,
  'shipment.exception': (d) =>
    `${textOf(d, 'carrier')} reports ${textOf(d, 'kind')} on shipment ${textOf(d, 'shipment_id')}${opt(textOf(d, 'new_eta'), (t) => `; new ETA ${formatUtc(t)}`)}`,
  'order.delivered': (d) => `Delivered (shipment ${textOf(d, 'shipment_id')})`,
  'pick.created': (d) =>
    `Pick ${textOf(d, 'pick_id')} created at ${textOf(d, 'warehouse')}: ${qtyWord(sumOf(linesOf(d), 'qty'))}${opt(textOf(d, 'due_by'), (t) => `, due by ${formatUtc(t)}`)}`,
  'pick.completed': (d) => {
    const lines = linesOf(d);
    return `Pick ${textOf(d, 'pick_id')} completed at ${textOf(d, 'warehouse')}: ${sumOf(lines, 'qty_picked')} of ${qtyWord(sumOf(lines, 'qty_required'))} picked${numberOf(d, 'errors') ? `, ${numberOf(d, 'errors')} errors` : ''}`;
  },
  'stock.received': (d) =>
    `Received ${qtyWord(numberOf(d, 'qty'))} of ${textOf(d, 'sku')} at ${textOf(d, 'warehouse')}${opt(textOf(d, 'po_id'), (t) => ` on ${t}`)}`,
  'stock.adjusted': (d) => `Stock of ${textOf(d, 'sku')} at ${textOf(d, 'warehouse')} adjusted by ${numberOf(d, 'qty_delta')} (${textOf(d, 'reason')})`,
  'stock.transferred': (d) =>
    `${qtyWord(numberOf(d, 'qty'))} of ${textOf(d, 'sku')} moved from ${textOf(d, 'from_warehouse')} to ${textOf(d, 'to_warehouse')}`,
  'stock.snapshot': (d) => `Core counts ${textOf(d, 'sku')} at ${textOf(d, 'warehouse')}: ${numberOf(d, 'on_hand')} on hand, ${numberOf(d, 'reserved')} reserved`,
  'po.created': (d) => `Purchase order ${textOf(d, 'po_id')} to ${textOf(d, 'supplier')}: ${skuList(linesOf(d))}`,
  'return.requested': (d) => `Return ${textOf(d, 'return_id')} requested: ${skuList(linesOf(d))} (${distinctWords(linesOf(d), 'reason_code')})`,
  'return.authorized': (d) => `Return ${textOf(d, 'return_id')} authorised`,
  'return.rejected': (d) => `Return ${textOf(d, 'return_id')} rejected: ${textOf(d, 'reason')}`,
  'return.received': (d) =>
    `Return ${textOf(d, 'return_id')} received at ${textOf(d, 'warehouse')}: ${skuList(linesOf(d))} (${distinctWords(linesOf(d), 'condition')})`,
  'return.inspected': (d, c) => {
    const lines = linesOf(d);
    const recovery = lines.some((l) => 'recovery_value' in l) ? `; recovery ${formatMoney(sumOf(lines, 'recovery_value'), c)}` : '';
    return `Return ${textOf(d, 'return_id')} inspected: ${distinctWords(lines, 'disposition')}${recovery}`;
  },
  'refund.requested': (d, c) =>
    `Refund ${textOf(d, 'refund_id')} of ${formatMoney(numberOf(d, 'amount'), c)} requested${opt(textOf(d, 'return_id'), (t) => ` for return ${t}`)}`,
  'refund.approved': (d) => `Refund ${textOf(d, 'refund_id')} approved${opt(textOf(d, 'approver'), (t) => ` by ${t}`)}`,
  'refund.issued': (d, c) =>
    `Refund ${textOf(d, 'refund_id')} of ${formatMoney(numberOf(d, 'amount'), c)} issued${opt(textOf(d, 'method'), (t) => ` to ${t}`)}`,
  'refund.rejected': (d) => `Refund ${textOf(d, 'refund_id')} rejected: ${textOf(d, 'reason')}`,
};

/** An event's key facts in a sentence an ops lead reads at a glance; money in `currency`. */
export function describeEvent(type: string, data: Payload, currency: string): string {
  const describe = Object.hasOwn(WORDS, type) ? WORDS[type] : undefined;
  return describe ? describe(data, currency) : `${type}: ${Object.keys(data).join(', ')}`;
}
