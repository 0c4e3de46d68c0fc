import { z } from 'zod';
import { defineEvent } from './envelope';
import { currency, instant, label, lines, money, note, oneOf, quantity, reference, sku } from './fields';

/** Orders and shipments (EVENTS.md, "Orders and shipments"). */

export const HOLD_REASONS = ['fraud_review', 'payment', 'address', 'credit', 'manual'] as const;
export const CANCEL_INITIATORS = ['customer', 'seller', 'system'] as const;
export const SHIPMENT_EXCEPTION_KINDS = ['delay', 'lost', 'damaged', 'address'] as const;

const skuQty = z.looseObject({ sku: sku(), qty: quantity() });

export const orderCreated = defineEvent('order.created', {
  order_id: reference(),
  channel: label(),
  lines: lines(
    z.looseObject({
      sku: sku(),
      qty: quantity(),
      unit_price: money(),
      unit_cost: money().optional(),
      discount: money().optional(),
    }),
  ),
  customer_id: reference().optional(),
  segment: label().optional(),
  region: label().optional(),
  currency: currency(),
  shipping_charged: money().optional(),
  promised_ship_by: instant().optional(),
  promised_delivery_by: instant().optional(),
  payment_method: label().optional(),
});

export const orderPaymentAuthorized = defineEvent('order.payment_authorized', {
  order_id: reference(),
  amount: money(),
});

export const orderPaymentFailed = defineEvent('order.payment_failed', {
  order_id: reference(),
  reason: note().min(1, { error: 'expected a non-empty reason' }),
});

export const orderHeld = defineEvent('order.held', {
  order_id: reference(),
  reason: oneOf(HOLD_REASONS),
  note: note().optional(),
});

export const orderReleased = defineEvent('order.released', { order_id: reference(), by: reference().optional() });

export const orderAllocated = defineEvent('order.allocated', {
  order_id: reference(),
  warehouse: label(),
  lines: lines(skuQty),
});

export const orderBackordered = defineEvent('order.backordered', {
  order_id: reference(),
  lines: lines(z.looseObject({ sku: sku(), qty_short: quantity() })),
  warehouse: label().optional(),
  expected_at: instant().optional(),
});

export const orderCancelled = defineEvent('order.cancelled', {
  order_id: reference(),
  reason: label(),
  initiated_by: oneOf(CANCEL_INITIATORS),
});

export const orderShipped = defineEvent('order.shipped', {
  order_id: reference(),
  shipment_id: reference(),
  warehouse: label(),
  carrier: label(),
  lines: lines(skuQty),
  service: label().optional(),
  tracking: reference().optional(),
  shipping_cost: money().optional(),
});

export const shipmentException = defineEvent('shipment.exception', {
  shipment_id: reference(),
  order_id: reference(),
  carrier: label(),
  kind: oneOf(SHIPMENT_EXCEPTION_KINDS),
  new_eta: instant().optional(),
});

export const orderDelivered = defineEvent('order.delivered', { order_id: reference(), shipment_id: reference() });

export const orderEvents = [
  orderCreated,
  orderPaymentAuthorized,
  orderPaymentFailed,
  orderHeld,
  orderReleased,
  orderAllocated,
  orderBackordered,
  orderCancelled,
  orderShipped,
  shipmentException,
  orderDelivered,
] as const;
