import type { OpsEventInput } from '@/lib/events';

/**
 * A deterministic stream of contract-v1 events shaped like a mid-market retailer's day: each
 * order walks payment, allocation, pick, ship and delivery, some are held, backordered,
 * cancelled or returned, and stock events run alongside. For benchmarks and load tests.
 */
type EventDraft = OpsEventInput extends infer E ? (E extends OpsEventInput ? Omit<E, 'id' | 'source'> : never) : never;

const CHANNELS = ['web', 'web', 'web', 'marketplace_a', 'marketplace_b', 'b2b'];
const WAREHOUSES = ['wh-east', 'wh-west', 'wh-central'];
const CARRIERS = ['ups', 'fedex', 'dhl', 'usps'];
const REGIONS = ['northeast', 'southeast', 'midwest', 'west', 'southwest'];
const RETURN_REASONS = ['size', 'damaged', 'wrong_item', 'not_as_described', 'changed_mind', 'late', 'defective'];
const HOLD_REASONS = ['fraud_review', 'payment', 'address', 'credit', 'manual'] as const;
const DISPOSITIONS = ['restock', 'refurbish', 'vendor_claim', 'liquidate', 'scrap'] as const;
const ADJUSTMENTS = ['cycle_count', 'damage', 'found', 'shrink', 'correction'] as const;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* retailEvents(o: {
  count: number;
  seed?: number;
  startMs?: number;
  spanDays?: number;
}): Generator<OpsEventInput> {
  const random = mulberry32(o.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const chance = (p: number) => random() < p;
  const money = (min: number, max: number) => Math.round((min + random() * (max - min)) * 100) / 100;
  const spanMs = (o.spanDays ?? 30) * 86_400_000;
  const start = o.startMs ?? Date.now() - spanMs;
  let emitted = 0;
  let serial = 0;

  for (let order = 0; emitted < o.count; order++) {
    const events: OpsEventInput[] = [];
    let t = start + Math.floor((order * 7919) % spanMs);
    const at = (minutes: number) => new Date((t += minutes * 60_000)).toISOString();
    const push = (event: EventDraft) => {
      events.push({ ...event, id: `bench-${o.seed ?? 42}-${serial++}`, source: 'bench' });
    };
    const orderId = `SO-${order}`;
    const warehouse = pick(WAREHOUSES);
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      sku: `SKU-${Math.floor(random() * 400)}`,
      qty: 1 + Math.floor(random() * 3),
      unit_price: money(5, 200),
      unit_cost: money(2, 90),
    }));
    const skuQty = lines.map((l) => ({ sku: l.sku, qty: l.qty }));
    const total = lines.reduce((sum, l) => sum + l.qty * l.unit_price, 0);
    push({
      type: 'order.created',
      occurred_at: at(0),
      data: {
        order_id: orderId,
        channel: pick(CHANNELS),
        customer_id: `C-${Math.floor(random() * 50_000)}`,
        segment: chance(0.1) ? 'b2b' : 'consumer',
        region: pick(REGIONS),
        currency: 'USD',
        payment_method: 'card',
        lines,
        shipping_charged: money(0, 15),
        promised_ship_by: new Date(t + 86_400_000).toISOString(),
        promised_delivery_by: new Date(t + 4 * 86_400_000).toISOString(),
      },
    });
    push({
      type: 'order.payment_authorized',
      occurred_at: at(1),
      data: { order_id: orderId, amount: Math.round(total * 100) / 100 },
    });
    if (chance(0.03)) {
      push({ type: 'order.held', occurred_at: at(2), data: { order_id: orderId, reason: pick(HOLD_REASONS) } });
      push({ type: 'order.released', occurred_at: at(90), data: { order_id: orderId, by: 'ops' } });
    }
    if (chance(0.03)) {
      push({
        type: 'order.cancelled',
        occurred_at: at(30),
        data: { order_id: orderId, reason: 'customer_request', initiated_by: 'customer' },
      });
    } else {
      push({ type: 'order.allocated', occurred_at: at(5), data: { order_id: orderId, warehouse, lines: skuQty } });
      if (chance(0.02))
        push({
          type: 'order.backordered',
          occurred_at: at(1),
          data: { order_id: orderId, warehouse, lines: [{ sku: lines[0].sku, qty_short: 1 }] },
        });
      const pickId = `PK-${order}`;
      push({
        type: 'pick.created',
        occurred_at: at(20),
        data: { pick_id: pickId, order_id: orderId, warehouse, lines: skuQty, wave: `W${order % 50}`, zone: 'A' },
      });
      push({
        type: 'pick.completed',
        occurred_at: at(40),
        data: {
          pick_id: pickId,
          order_id: orderId,
          warehouse,
          picker: `picker-${order % 40}`,
          errors: chance(0.01) ? 1 : 0,
          lines: skuQty.map((l) => ({ sku: l.sku, qty_required: l.qty, qty_picked: l.qty })),
        },
      });
      const shipmentId = `SH-${order}`;
      const carrier = pick(CARRIERS);
      push({
        type: 'order.shipped',
        occurred_at: at(120),
        data: {
          order_id: orderId,
          shipment_id: shipmentId,
          warehouse,
          carrier,
          service: 'ground',
          tracking: `1Z${order}`,
          shipping_cost: money(4, 20),
          lines: skuQty,
        },
      });
      if (chance(0.01))
        push({
          type: 'shipment.exception',
          occurred_at: at(1440),
          data: { shipment_id: shipmentId, order_id: orderId, carrier, kind: 'delay' },
        });
      push({ type: 'order.delivered', occurred_at: at(2880), data: { order_id: orderId, shipment_id: shipmentId } });
      if (chance(0.08)) {
        const returnId = `RT-${order}`;
        const refundId = `RF-${order}`;
        const line = lines[0];
        push({
          type: 'return.requested',
          occurred_at: at(4320),
          data: {
            return_id: returnId,
            order_id: orderId,
            lines: [{ sku: line.sku, qty: 1, reason_code: pick(RETURN_REASONS) }],
          },
        });
        push({ type: 'return.authorized', occurred_at: at(60), data: { return_id: returnId } });
        push({
          type: 'return.received',
          occurred_at: at(4320),
          data: { return_id: returnId, warehouse, lines: [{ sku: line.sku, qty: 1, condition: 'good' }] },
        });
        push({
          type: 'return.inspected',
          occurred_at: at(1440),
          data: {
            return_id: returnId,
            lines: [
              { sku: line.sku, qty: 1, disposition: pick(DISPOSITIONS), recovery_value: money(0, line.unit_price) },
            ],
          },
        });
        push({
          type: 'refund.requested',
          occurred_at: at(10),
          data: { refund_id: refundId, order_id: orderId, return_id: returnId, amount: line.unit_price },
        });
        push({ type: 'refund.approved', occurred_at: at(60), data: { refund_id: refundId, approver: 'ops' } });
        push({
          type: 'refund.issued',
          occurred_at: at(60),
          data: { refund_id: refundId, order_id: orderId, amount: line.unit_price, method: 'card' },
        });
      }
    }
    const sku = lines[0].sku;
    if (chance(0.3))
      push({
        type: 'stock.snapshot',
        occurred_at: at(1),
        data: { warehouse, sku, on_hand: Math.floor(random() * 500), reserved: Math.floor(random() * 20) },
      });
    if (chance(0.05))
      push({
        type: 'stock.adjusted',
        occurred_at: at(1),
        data: { warehouse, sku, qty_delta: Math.floor(random() * 7) - 3, reason: pick(ADJUSTMENTS) },
      });
    if (chance(0.05))
      push({
        type: 'stock.received',
        occurred_at: at(1),
        data: { warehouse, sku, qty: 24, unit_cost: money(2, 90), po_id: `PO-${order >> 4}`, supplier: 'acme' },
      });
    if (chance(0.01))
      push({
        type: 'po.created',
        occurred_at: at(1),
        data: {
          po_id: `PO-${order}`,
          supplier: 'acme',
          warehouse,
          lines: [{ sku, qty: 48, unit_cost: money(2, 90) }],
          expected_at: new Date(t + 7 * 86_400_000).toISOString(),
        },
      });
    if (chance(0.01))
      push({
        type: 'stock.transferred',
        occurred_at: at(1),
        data: { transfer_id: `TR-${order}`, from_warehouse: warehouse, to_warehouse: pick(WAREHOUSES), sku, qty: 6 },
      });
    for (const event of events) {
      if (emitted++ >= o.count) return;
      yield event;
    }
  }
}
