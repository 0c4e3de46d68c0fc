import { z } from 'zod';
import type { ExceptionQueue } from './exception-item';

/**
 * Every exception rule, its queue, and its default settings. Admins override settings per rule
 * (exception_rule_settings); anything they leave out keeps the default here.
 */
export const ruleNames = [
  'order_on_hold',
  'backorder_open',
  'out_of_stock_with_demand',
  'ship_late',
  'pick_overdue',
  'short_pick',
  'carrier_exception',
  'return_awaiting_inspection',
  'refund_awaiting_approval',
  'refund_before_inspection',
  'count_variance',
  'stock_snapshot_drift',
  'dead_letters',
  'connector_errors',
] as const;
export type RuleName = (typeof ruleNames)[number];

export const ruleSettingsSchema = z.object({
  enabled: z.boolean(),
  /** Minutes from opening to the SLA deadline. */
  slaMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30),
  /** Rule-specific numbers (hours, percentages, money, units); names are listed per rule. */
  thresholds: z.record(z.string(), z.number().min(0)),
});
export type RuleSettings = z.infer<typeof ruleSettingsSchema>;

export interface RuleDefinition {
  queue: ExceptionQueue;
  label: string;
  defaults: RuleSettings;
  /** What each threshold means, for the admin screen. */
  thresholdHelp: Record<string, string>;
}

const on = (slaMinutes: number, thresholds: Record<string, number> = {}): RuleSettings => ({
  enabled: true,
  slaMinutes,
  thresholds,
});

export const RULES: Record<RuleName, RuleDefinition> = {
  order_on_hold: {
    queue: 'order_holds',
    label: 'Order on hold',
    defaults: on(120, { criticalValue: 1_000 }),
    thresholdHelp: { criticalValue: 'order value (money) from which a hold is critical' },
  },
  backorder_open: { queue: 'stock_shortages', label: 'Open backorder', defaults: on(480), thresholdHelp: {} },
  out_of_stock_with_demand: {
    queue: 'stock_shortages',
    label: 'Out of stock with open demand',
    defaults: on(240),
    thresholdHelp: {},
  },
  ship_late: {
    queue: 'fulfilment_delays',
    label: 'Not shipped by the promised time',
    defaults: on(120, { graceMinutes: 0 }),
    thresholdHelp: { graceMinutes: 'minutes past promised_ship_by before it counts' },
  },
  pick_overdue: {
    queue: 'fulfilment_delays',
    label: 'Pick overdue',
    defaults: on(60, { graceMinutes: 0 }),
    thresholdHelp: { graceMinutes: 'minutes past due_by before it counts' },
  },
  short_pick: { queue: 'fulfilment_delays', label: 'Short pick', defaults: on(120), thresholdHelp: {} },
  carrier_exception: { queue: 'carrier_issues', label: 'Carrier exception', defaults: on(480), thresholdHelp: {} },
  return_awaiting_inspection: {
    queue: 'returns_refunds',
    label: 'Return awaiting inspection',
    defaults: on(1_440, { maxHours: 48 }),
    thresholdHelp: { maxHours: 'hours after receipt before an uninspected return is raised' },
  },
  refund_awaiting_approval: {
    queue: 'returns_refunds',
    label: 'Refund awaiting approval',
    defaults: on(480, { maxHours: 24 }),
    thresholdHelp: { maxHours: 'hours after the request before an unapproved refund is raised' },
  },
  refund_before_inspection: {
    queue: 'returns_refunds',
    label: 'Refund issued before inspection',
    defaults: on(480),
    thresholdHelp: {},
  },
  count_variance: {
    queue: 'inventory_discrepancies',
    label: 'Cycle count variance beyond tolerance',
    defaults: on(1_440, { tolerancePct: 5, toleranceValue: 250 }),
    thresholdHelp: {
      tolerancePct: '|counted − expected| / expected, in percent, above which a count is raised',
      toleranceValue: 'or the variance valued at cost (money) above which it is raised',
    },
  },
  stock_snapshot_drift: {
    queue: 'inventory_discrepancies',
    label: 'Event-derived stock differs from the snapshot',
    defaults: on(1_440, { toleranceUnits: 0, lookbackDays: 7 }),
    thresholdHelp: {
      toleranceUnits: 'units of difference tolerated',
      lookbackDays: 'only snapshots this recent are compared',
    },
  },
  dead_letters: {
    queue: 'integration_failures',
    label: 'Dead letters',
    defaults: on(240, { windowHours: 24, minCount: 1 }),
    thresholdHelp: {
      windowHours: 'look-back window',
      minCount: 'dead letters per source and type before it is raised',
    },
  },
  connector_errors: {
    queue: 'integration_failures',
    label: 'Connector errors',
    defaults: on(60, { windowHours: 1, minCount: 1 }),
    thresholdHelp: {
      windowHours: 'look-back window',
      minCount: 'errors per connector and operation, with no success since the latest, before it is raised',
    },
  },
};

export function isRuleName(value: string): value is RuleName {
  return (ruleNames as readonly string[]).includes(value);
}
