import { randomUUID } from 'node:crypto';

export interface IngestAnswer {
  status: number;
  body: unknown;
}

export function orderCreated(o: { channel?: string; occurredAt?: Date; qty?: number; unitPrice?: number } = {}) {
  const orderId = `e2e-${randomUUID()}`;
  return {
    id: `evt-${orderId}`,
    type: 'order.created',
    occurred_at: (o.occurredAt ?? new Date()).toISOString(),
    source: 'e2e',
    data: {
      order_id: orderId,
      channel: o.channel ?? 'web',
      lines: [{ sku: 'E2E-SKU-1', qty: o.qty ?? 1, unit_price: o.unitPrice ?? 19.99 }],
    },
  };
}

export function returnRequested(o: { returnId: string; orderId: string; sku: string }) {
  return {
    id: `evt-${o.returnId}`,
    type: 'return.requested',
    occurred_at: new Date().toISOString(),
    source: 'e2e',
    data: { return_id: o.returnId, order_id: o.orderId, lines: [{ sku: o.sku, qty: 1, reason_code: 'damaged' }] },
  };
}

export async function postEvents(baseUrl: string, ingestKey: string, events: readonly object[]): Promise<IngestAnswer> {
  const response = await fetch(`${baseUrl}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}
