import { z } from 'zod';
import { RULES, ruleNames, ruleSettingsSchema } from './rule-catalogue';
import { exceptionQueues } from './exception-item';
import type { AllRuleSettings } from './rule-settings-store';

/** One rule as the admin screen shows it: what it is, the settings in force, and the defaults. */
export const ruleSettingsViewSchema = z.object({
  rule: z.enum(ruleNames),
  queue: z.enum(exceptionQueues),
  label: z.string(),
  settings: ruleSettingsSchema,
  defaults: ruleSettingsSchema,
  thresholdHelp: z.record(z.string(), z.string()),
});
export type RuleSettingsView = z.infer<typeof ruleSettingsViewSchema>;

export function ruleSettingsViews(settings: AllRuleSettings): RuleSettingsView[] {
  return ruleNames.map((rule) => ({
    rule,
    queue: RULES[rule].queue,
    label: RULES[rule].label,
    settings: settings[rule],
    defaults: RULES[rule].defaults,
    thresholdHelp: RULES[rule].thresholdHelp,
  }));
}
