import { z } from 'zod';
import { defineEvent } from './envelope';
import { count, instant, label, lines, quantity, reference, sku } from './fields';

/** Warehouse execution (EVENTS.md, "Warehouse execution"). */

export const pickCreated = defineEvent('pick.created', {
  pick_id: reference(),
  order_id: reference(),
  warehouse: label(),
  lines: lines(z.looseObject({ sku: sku(), qty: quantity() })),
  wave: label().optional(),
  zone: label().optional(),
  due_by: instant().optional(),
});

/** qty_picked may be 0 (nothing found) or differ from qty_required: that gap is what pick accuracy measures. */
export const pickCompleted = defineEvent('pick.completed', {
  pick_id: reference(),
  order_id: reference(),
  warehouse: label(),
  lines: lines(z.looseObject({ sku: sku(), qty_required: quantity(), qty_picked: count() })),
  picker: label().optional(),
  errors: count().optional(),
});

export const warehouseEvents = [pickCreated, pickCompleted] as const;
