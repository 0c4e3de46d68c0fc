import { z } from 'zod';
import { defineEvent } from './envelope';
import { count, instant, label, lines, money, oneOf, quantity, reference, signedQuantity, sku } from './fields';

/** Stock (EVENTS.md, "Stock"). */

export const ADJUSTMENT_REASONS = ['cycle_count', 'damage', 'found', 'shrink', 'correction'] as const;

export const stockReceived = defineEvent('stock.received', {
  warehouse: label(),
  sku: sku(),
  qty: quantity(),
  unit_cost: money(),
  po_id: reference().optional(),
  supplier: label().optional(),
});

export const stockAdjusted = defineEvent('stock.adjusted', {
  warehouse: label(),
  sku: sku(),
  qty_delta: signedQuantity(),
  reason: oneOf(ADJUSTMENT_REASONS),
  expected_qty: count().optional(),
  counted_qty: count().optional(),
});

export const stockTransferred = defineEvent('stock.transferred', {
  transfer_id: reference(),
  from_warehouse: label(),
  to_warehouse: label(),
  sku: sku(),
  qty: quantity(),
});

export const stockSnapshot = defineEvent('stock.snapshot', {
  warehouse: label(),
  sku: sku(),
  on_hand: count(),
  reserved: count(),
  quarantine: count().optional(),
  damaged: count().optional(),
  in_transit: count().optional(),
});

export const poCreated = defineEvent('po.created', {
  po_id: reference(),
  supplier: label(),
  warehouse: label(),
  lines: lines(z.looseObject({ sku: sku(), qty: quantity(), unit_cost: money() })),
  expected_at: instant(),
});

export const stockEvents = [stockReceived, stockAdjusted, stockTransferred, stockSnapshot, poCreated] as const;
