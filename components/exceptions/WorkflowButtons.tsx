'use client';

import { useState } from 'react';
import { applyWorkflowStep, type BulkResult, type WorkflowStep } from './exceptions-api';

const HOUR = 3_600_000;

function describe(step: WorkflowStep['step'], r: BulkResult): string {
  const verb = { claim: 'Claimed', snooze: 'Snoozed', resolve: 'Resolved' }[step];
  const refused = r.refused.map((x) => x.message).join('; ');
  return `${verb} ${r.done.length}${r.refused.length ? ` · not ${step}ed: ${r.refused.length} (${refused})` : ''}`;
}

/** Claim, snooze and resolve for one item or a selection. Changes come back by push. */
export function WorkflowButtons({ ids, onDone }: { ids: string[]; onDone?: () => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const run = async (step: WorkflowStep) => {
    setBusy(true);
    try {
      const result = await applyWorkflowStep(ids, step);
      setMessage({ text: describe(step.step, result), error: result.refused.length > 0 });
      onDone?.();
    } catch (err) {
      setMessage({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="workflow">
      <button type="button" className="button" disabled={busy || !ids.length} onClick={() => void run({ step: 'claim' })}>
        Claim
      </button>
      <button
        type="button"
        className="button button--quiet"
        disabled={busy || !ids.length}
        onClick={() => void run({ step: 'snooze', until: new Date(Date.now() + 4 * HOUR).toISOString() })}
      >
        Snooze 4h
      </button>
      <button type="button" className="button button--quiet" disabled={busy || !ids.length} onClick={() => void run({ step: 'resolve' })}>
        Resolve
      </button>
      {message && (
        <p role="status" className={message.error ? 'form-error' : 'muted'}>
          {message.text}
        </p>
      )}
    </div>
  );
}
