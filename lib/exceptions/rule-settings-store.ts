import type { Kysely } from 'kysely';
import { isRuleName, RULES, ruleNames, ruleSettingsSchema, type RuleName, type RuleSettings } from './rule-catalogue';
import type { ExceptionTables } from './workflow-schema';

export type AllRuleSettings = Record<RuleName, RuleSettings>;

/** The settings in force: the admin's overrides on top of the defaults in code. */
export async function readRuleSettings(db: Kysely<object>): Promise<AllRuleSettings> {
  const rows = await db
    .withTables<ExceptionTables>()
    .selectFrom('exception_rule_settings')
    .select(['rule', 'settings'])
    .execute();
  const merged = Object.fromEntries(ruleNames.map((r) => [r, RULES[r].defaults])) as AllRuleSettings;
  for (const row of rows) {
    if (!isRuleName(row.rule)) continue;
    const parsed = ruleSettingsSchema.partial().safeParse(row.settings);
    if (!parsed.success) {
      console.warn(`[exceptions] stored settings for ${row.rule} are unreadable; using the defaults`);
      continue;
    }
    const base = RULES[row.rule].defaults;
    merged[row.rule] = { ...base, ...parsed.data, thresholds: { ...base.thresholds, ...parsed.data.thresholds } };
  }
  return merged;
}

export class UnknownThresholdError extends Error {
  constructor(rule: RuleName, name: string) {
    const known = Object.keys(RULES[rule].defaults.thresholds);
    super(
      `Rule ${rule} has no threshold "${name}"${known.length ? `; it knows ${known.join(', ')}` : '; it takes none'}.`,
    );
    this.name = 'UnknownThresholdError';
  }
}

/** Saves one rule's settings (whole, validated), recording who changed them. */
export async function saveRuleSettings(
  db: Kysely<object>,
  rule: RuleName,
  settings: RuleSettings,
  by: string,
): Promise<void> {
  const valid = ruleSettingsSchema.parse(settings);
  for (const name of Object.keys(valid.thresholds)) {
    if (!(name in RULES[rule].defaults.thresholds)) throw new UnknownThresholdError(rule, name);
  }
  const now = new Date();
  await db
    .withTables<ExceptionTables>()
    .insertInto('exception_rule_settings')
    .values({ rule, settings: JSON.stringify(valid), updated_at: now, updated_by: by })
    .onConflict((oc) =>
      oc.column('rule').doUpdateSet({ settings: JSON.stringify(valid), updated_at: now, updated_by: by }),
    )
    .execute();
}
