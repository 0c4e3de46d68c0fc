import { z } from 'zod';

/**
 * An exception: a work item with an owner and an SLA (DESIGN.md "Exceptions"). Shared by the
 * engine, the API and the browser: one schema validates it on every side.
 */
export const exceptionQueues = [
  'order_holds',
  'stock_shortages',
  'fulfilment_delays',
  'carrier_issues',
  'returns_refunds',
  'inventory_discrepancies',
  'integration_failures',
] as const;
export type ExceptionQueue = (typeof exceptionQueues)[number];

export const QUEUE_LABELS: Record<ExceptionQueue, string> = {
  order_holds: 'Order holds',
  stock_shortages: 'Stock shortages & backorders',
  fulfilment_delays: 'Fulfilment delays',
  carrier_issues: 'Carrier issues',
  returns_refunds: 'Returns & refunds',
  inventory_discrepancies: 'Inventory discrepancies',
  integration_failures: 'Integration failures',
};

export const severities = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof severities)[number];

export const exceptionStatuses = ['open', 'claimed', 'snoozed', 'resolved'] as const;
export type ExceptionStatus = (typeof exceptionStatuses)[number];

export const entityKinds = ['order', 'sku', 'return', 'refund', 'shipment', 'pick', 'dead_letter', 'connector'] as const;
export type EntityKind = (typeof entityKinds)[number];

export const entityRefSchema = z.object({ kind: z.enum(entityKinds), id: z.string() });
export type EntityRef = z.infer<typeof entityRefSchema>;

export const exceptionItemSchema = z.object({
  id: z.string(),
  queue: z.enum(exceptionQueues),
  /** The rule that raised it, e.g. `order_on_hold`, `refund_before_inspection`. */
  rule: z.string(),
  /** One per cause: the same cause never opens a second item while one is unresolved. */
  dedupeKey: z.string(),
  severity: z.enum(severities),
  status: z.enum(exceptionStatuses),
  summary: z.string(),
  /** Money at stake, in `currency`; 0 when nothing is. */
  valueAtRisk: z.number(),
  currency: z.string(),
  /** The entity it is about first; others it links to after. */
  entities: z.array(entityRefSchema).min(1),
  warehouse: z.string().nullable(),
  channel: z.string().nullable(),
  openedAt: z.string(),
  slaDueAt: z.string(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  snoozedUntil: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** How it was resolved: its condition cleared (`auto`), a person closed it (`manual`). */
  resolution: z.enum(['auto', 'manual']).nullable(),
  updatedAt: z.string(),
  /** When its SLA deadline passed unresolved; it was escalated then, once. */
  breachedAt: z.string().nullable(),
  /** The severity before the breach raised it one step; null while not escalated. */
  escalatedFrom: z.enum(severities).nullable(),
});
export type ExceptionItem = z.infer<typeof exceptionItemSchema>;
