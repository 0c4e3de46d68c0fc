'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { z } from 'zod';
import type { KpiFormat } from '@/lib/charts/kpi-value-format';
import { fromInput, toInput, UNIT_HINTS } from './kpi-target-input';

interface Target {
  direction: 'at_least' | 'at_most';
  value: number;
  amber: number;
}

const errorSchema = z.object({ error: z.string() });

/** One KPI's target as a small form that PUTs to /api/admin/kpi-targets. */
export function KpiTargetRow(props: {
  kpi: { key: string; label: string; format: KpiFormat; better: 'higher' | 'lower' | 'neither'; hasDefault: boolean };
  target: Target | null;
  source: 'admin' | 'default' | 'none';
  updated: string | null;
}) {
  const { kpi } = props;
  const router = useRouter();
  const [direction, setDirection] = useState<Target['direction']>(props.target?.direction ?? (kpi.better === 'lower' ? 'at_most' : 'at_least'));
  const [value, setValue] = useState(props.target ? toInput(props.target.value, kpi.format) : '');
  const [amber, setAmber] = useState(props.target ? toInput(props.target.amber, kpi.format) : '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (target: Target | null) => {
    setBusy(true);
    setMessage(null);
    try {
      const response = await fetch('/api/admin/kpi-targets', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kpiKey: kpi.key, target }),
      });
      const body: unknown = await response.json().catch(() => null);
      const error = errorSchema.safeParse(body);
      if (!response.ok) setMessage({ ok: false, text: error.success ? error.data.error : `Not saved (HTTP ${response.status}).` });
      else {
        setMessage({ ok: true, text: 'Saved; open boards recolour now.' });
        router.refresh();
      }
    } catch {
      setMessage({ ok: false, text: 'Not saved: the server did not answer. Try again.' });
    } finally {
      setBusy(false);
    }
  };

  const save = () => {
    const v = fromInput(value, kpi.format);
    const a = fromInput(amber || '0', kpi.format);
    if (v === null || a === null || a < 0) {
      setMessage({ ok: false, text: 'Enter a number for the target and an amber band of 0 or more.' });
      return;
    }
    void send({ direction, value: v, amber: a });
  };

  return (
    <tr data-testid={`target-${kpi.key}`}>
      <td>{kpi.label}</td>
      <td>{kpi.better}</td>
      <td>
        <form
          className="admin__row"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <select aria-label={`${kpi.label} direction`} value={direction} onChange={(e) => setDirection(e.target.value === 'at_most' ? 'at_most' : 'at_least')}>
            <option value="at_least">at least</option>
            <option value="at_most">at most</option>
          </select>
          <input aria-label={`${kpi.label} target`} inputMode="decimal" size={8} value={value} onChange={(e) => setValue(e.target.value)} />
          <span className="muted">{UNIT_HINTS[kpi.format]}</span>
          <label className="muted">
            amber ±
            <input aria-label={`${kpi.label} amber band`} inputMode="decimal" size={6} value={amber} onChange={(e) => setAmber(e.target.value)} />
          </label>
          <button className="button" type="submit" disabled={busy}>
            Save
          </button>
        </form>
        {message && <p className={message.ok ? 'muted' : 'form-error'}>{message.text}</p>}
      </td>
      <td>
        {props.source === 'admin' ? `set by an admin${props.updated ? `, ${props.updated}` : ''}` : props.source === 'default' ? 'catalogue default' : 'no target'}
      </td>
      <td>
        {props.source === 'admin' && (
          <button className="button button--quiet" type="button" disabled={busy} onClick={() => void send(null)}>
            Reset{kpi.hasDefault ? ' to default' : ''}
          </button>
        )}
      </td>
    </tr>
  );
}
