'use client';

import { useState } from 'react';
import { z } from 'zod';
import { ruleSettingsSchema } from '@/lib/exceptions/rule-catalogue';
import type { RuleSettingsView } from '@/lib/exceptions/rule-settings-view';
import { call } from '@/components/exceptions/exceptions-api';
import { checkDraft, draftOf, type RuleSettingsDraft } from './rule-settings-form';

const savedSchema = z.object({ rule: z.string(), settings: ruleSettingsSchema });

/** One rule: switch, SLA and thresholds, each with its default beside it; saved on its own. */
export function RuleSettingsRow({ view }: { view: RuleSettingsView }) {
  const [draft, setDraft] = useState<RuleSettingsDraft>(() => draftOf(view.settings));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const thresholdNames = Object.keys(view.defaults.thresholds);

  const save = async () => {
    const checked = checkDraft(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      setStatus({ text: 'Not saved: correct the fields marked below.', error: true });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = await call('/api/admin/exception-rules', savedSchema, { method: 'PUT', body: { rule: view.rule, settings: checked.settings } });
      setDraft(draftOf(saved.settings));
      setStatus({ text: 'Saved; the engine uses it from its next run.', error: false });
    } catch (err) {
      setStatus({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (name: string) =>
    errors[name] ? (
      <span className="form-error" role="alert">
        {errors[name]}
      </span>
    ) : null;

  return (
    <tr data-testid={`rule-${view.rule}`}>
      <td>
        <strong>{view.label}</strong>
        <div className="muted">
          <code>{view.rule}</code>
        </div>
      </td>
      <td>
        <label className="field field--inline">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} />
          on
        </label>
        <div className="muted">default {view.defaults.enabled ? 'on' : 'off'}</div>
      </td>
      <td>
        <label className="field">
          <input inputMode="numeric" aria-label={`${view.label}: SLA minutes`} value={draft.slaMinutes} onChange={(e) => setDraft({ ...draft, slaMinutes: e.target.value })} />
        </label>
        <div className="muted">default {view.defaults.slaMinutes}</div>
        {fieldError('slaMinutes')}
      </td>
      <td>
        {thresholdNames.length === 0 && <span className="muted">none</span>}
        {thresholdNames.map((name) => (
          <div key={name} className="rule-threshold">
            <label className="field">
              {name}
              <input
                inputMode="decimal"
                aria-label={`${view.label}: ${name}`}
                value={draft.thresholds[name] ?? ''}
                onChange={(e) => setDraft({ ...draft, thresholds: { ...draft.thresholds, [name]: e.target.value } })}
              />
            </label>
            <div className="muted">
              {view.thresholdHelp[name]} · default {view.defaults.thresholds[name]}
            </div>
            {fieldError(name)}
          </div>
        ))}
      </td>
      <td>
        <div className="admin__row">
          <button type="button" className="button" disabled={busy} onClick={() => void save()}>
            Save
          </button>
          <button
            type="button"
            className="button button--quiet"
            disabled={busy}
            onClick={() => {
              setDraft(draftOf(view.defaults));
              setErrors({});
              setStatus({ text: 'Defaults filled in; save to apply them.', error: false });
            }}
          >
            Defaults
          </button>
        </div>
        {errors.form && <p className="form-error">{errors.form}</p>}
        {status && (
          <p role="status" className={status.error ? 'form-error' : 'muted'}>
            {status.text}
          </p>
        )}
      </td>
    </tr>
  );
}
