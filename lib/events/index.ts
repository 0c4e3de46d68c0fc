export {
  opsEventSchema,
  EVENT_TYPES,
  eventSchemaByType,
  type OpsEvent,
  type OpsEventInput,
  type EventType,
  type EventOf,
  type EventData,
} from './catalogue';
import type { EventData } from './catalogue';

export type OrderCreatedData = EventData<'order.created'>;
export type OrderPaymentAuthorizedData = EventData<'order.payment_authorized'>;
export type OrderPaymentFailedData = EventData<'order.payment_failed'>;
export type OrderHeldData = EventData<'order.held'>;
export type OrderReleasedData = EventData<'order.released'>;
export type OrderAllocatedData = EventData<'order.allocated'>;
export type OrderBackorderedData = EventData<'order.backordered'>;
export type OrderCancelledData = EventData<'order.cancelled'>;
export type OrderShippedData = EventData<'order.shipped'>;
export type ShipmentExceptionData = EventData<'shipment.exception'>;
export type OrderDeliveredData = EventData<'order.delivered'>;
export type PickCreatedData = EventData<'pick.created'>;
export type PickCompletedData = EventData<'pick.completed'>;
export type StockReceivedData = EventData<'stock.received'>;
export type StockAdjustedData = EventData<'stock.adjusted'>;
export type StockTransferredData = EventData<'stock.transferred'>;
export type StockSnapshotData = EventData<'stock.snapshot'>;
export type PoCreatedData = EventData<'po.created'>;
export type ReturnRequestedData = EventData<'return.requested'>;
export type ReturnAuthorizedData = EventData<'return.authorized'>;
export type ReturnRejectedData = EventData<'return.rejected'>;
export type ReturnReceivedData = EventData<'return.received'>;
export type ReturnInspectedData = EventData<'return.inspected'>;
export type RefundRequestedData = EventData<'refund.requested'>;
export type RefundApprovedData = EventData<'refund.approved'>;
export type RefundIssuedData = EventData<'refund.issued'>;
export type RefundRejectedData = EventData<'refund.rejected'>;

export { HOLD_REASONS, CANCEL_INITIATORS, SHIPMENT_EXCEPTION_KINDS } from './orders';
export { ADJUSTMENT_REASONS } from './stock';
export { DISPOSITIONS } from './returns';
export { validateEvent, type EventValidation } from './validate-event';
export { EVENT_EXAMPLES } from './examples';
