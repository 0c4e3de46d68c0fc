/**
 * What a core tells the tower about one entity, for drill-through context and for the before /
 * after of an action. Plain JSON (times as ISO strings) so it goes into the audit log as is.
 */
export interface OrderView {
  orderId: string;
  status: string;
  channel: string;
  region: string;
  warehouse: string | null;
  holdReason: string | null;
  expedited: boolean;
  amount: number;
  currency: string;
  createdAt: string;
  promisedShipBy: string;
  lines: { sku: string; qty: number; qtyShipped: number }[];
  pick: { pickId: string; status: string; dueBy: string } | null;
  shipment: { shipmentId: string; carrier: string; service: string; status: string; eta: string } | null;
}

export interface RefundView {
  refundId: string;
  orderId: string;
  returnId: string | null;
  amount: number;
  method: string;
  status: string;
  requestedAt: string;
}

export interface ReturnView {
  returnId: string;
  orderId: string;
  status: string;
  warehouse: string;
  refundId: string | null;
  lines: { sku: string; qty: number; reasonCode: string; condition: string | null; disposition: string | null }[];
}

export interface StockView {
  warehouse: string;
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  onOrder: number;
}

/** Read side of a core: the entity as the core holds it now, or null when it does not know it. */
export interface CoreReader {
  describeOrder(orderId: string): Promise<OrderView | null>;
  describeRefund(refundId: string): Promise<RefundView | null>;
  describeReturn(returnId: string): Promise<ReturnView | null>;
}
