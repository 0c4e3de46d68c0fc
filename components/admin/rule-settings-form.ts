import { ruleSettingsSchema, type RuleSettings } from '@/lib/exceptions/rule-catalogue';

/** What the admin has typed for one rule: text as typed, so a half-typed number is not lost. */
export interface RuleSettingsDraft {
  enabled: boolean;
  slaMinutes: string;
  thresholds: Record<string, string>;
}

export function draftOf(s: RuleSettings): RuleSettingsDraft {
  return {
    enabled: s.enabled,
    slaMinutes: String(s.slaMinutes),
    thresholds: Object.fromEntries(Object.entries(s.thresholds).map(([k, v]) => [k, String(v)])),
  };
}

export type DraftCheck = { ok: true; settings: RuleSettings } | { ok: false; errors: Record<string, string> };

const MAX_SLA = 60 * 24 * 30;

/** The draft as settings the API accepts, or a message per field that says what to type instead. */
export function checkDraft(d: RuleSettingsDraft): DraftCheck {
  const errors: Record<string, string> = {};
  const sla = Number(d.slaMinutes);
  if (d.slaMinutes.trim() === '' || !Number.isInteger(sla) || sla < 1 || sla > MAX_SLA) {
    errors.slaMinutes = `Whole minutes from 1 to ${MAX_SLA.toLocaleString()} (30 days).`;
  }
  const thresholds: Record<string, number> = {};
  for (const [name, text] of Object.entries(d.thresholds)) {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) errors[name] = 'A number of 0 or more.';
    else thresholds[name] = value;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const parsed = ruleSettingsSchema.safeParse({ enabled: d.enabled, slaMinutes: sla, thresholds });
  if (!parsed.success) return { ok: false, errors: { form: parsed.error.issues.map((i) => i.message).join('; ') } };
  return { ok: true, settings: parsed.data };
}
