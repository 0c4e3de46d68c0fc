import type { Kysely } from 'kysely';
import { recordAdminChange } from '../actions/admin-changes';
import { RULES, type RuleName, type RuleSettings } from './rule-catalogue';
import { readRuleSettings, saveRuleSettings } from './rule-settings-store';

/**
 * An admin replaces one rule's settings: saved (validated by the store, which throws
 * UnknownThresholdError for a name the rule does not know) and recorded in the audit log.
 * Returns the settings now in force.
 */
export async function changeRuleSettings(
  db: Kysely<object>,
  admin: { userId: string; name: string; role: string },
  rule: RuleName,
  settings: RuleSettings,
): Promise<RuleSettings> {
  const before = (await readRuleSettings(db))[rule];
  await saveRuleSettings(db, rule, settings, admin.userId);
  const after = (await readRuleSettings(db))[rule];
  await recordAdminChange(db, {
    admin,
    change: 'set_exception_rule',
    entity: { type: 'exception_rule', id: rule },
    request: { rule, settings },
    before,
    after,
    message: `${RULES[rule].label}: ${describe(after)} (was ${describe(before)}).`,
  });
  return after;
}

function describe(s: RuleSettings): string {
  const thresholds = Object.entries(s.thresholds).map(([k, v]) => `${k} ${v}`);
  return [s.enabled ? 'on' : 'off', `SLA ${s.slaMinutes} min`, ...thresholds].join(', ');
}
