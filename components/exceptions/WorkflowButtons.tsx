'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role } from '@/lib/auth/roles';
import type { ExceptionItem } from '@/lib/exceptions/exception-item';
import type { ExceptionView } from '@/lib/exceptions/exception-view';
import {
  applyWorkflowStep,
  applyWorkflowToMatching,
  fetchAssignees,
  type BulkResult,
  type MatchingResult,
  type WorkflowStep,
} from './exceptions-api';

const HOUR = 3_600_000;

/** Who is looking: release and hand-over depend on whose claim it is. */
export interface Viewer {
  id: string;
  role: Role;
}

const DONE: Record<WorkflowStep['step'], string> = {
  claim: 'Claimed',
  snooze: 'Snoozed',
  resolve: 'Resolved',
  release: 'Released',
  reassign: 'Handed over',
};

function describe(step: WorkflowStep['step'], r: BulkResult): string {
  const refused = r.refused.map((x) => x.message).join('; ');
  return `${DONE[step]} ${r.done.length}${r.refused.length ? ` · refused: ${r.refused.length} (${refused})` : ''}`;
}

/** What a step did, as the person reads it. */
export interface Outcome {
  text: string;
  error: boolean;
}

const REASONS: Record<string, string> = {
  assigned_to_someone_else: 'claimed by',
  resolved: 'already resolved',
  not_found: 'gone',
};

function describeMatching(step: WorkflowStep['step'], r: MatchingResult): string {
  const skipped = r.skipped
    .map(
      (s) =>
        `${REASONS[s.reason] ?? s.reason}${s.assigneeName ? ` ${s.assigneeName}` : ''} (${s.count.toLocaleString()})`,
    )
    .join(', ');
  const left = r.matched - r.done;
  return `${DONE[step]} ${r.done.toLocaleString()} of ${r.matched.toLocaleString()} matching${left ? ` · skipped ${left.toLocaleString()}: ${skipped}` : ''}`;
}

/**
 * Claim, snooze, resolve, release and hand over, for one item or a selection; with `matching`,
 * claim, snooze and resolve act on every item that view matches on the server. Changes come back by push.
 */
export function WorkflowButtons({
  items,
  viewer,
  matching,
  onDone,
}: {
  items: ExceptionItem[];
  viewer: Viewer;
  matching?: ExceptionView;
  /** With what happened: a selection's bar closes when done, so its owner shows the outcome. */
  onDone?: (outcome: Outcome) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Outcome | null>(null);
  const [handTo, setHandTo] = useState('');
  const ids = items.map((i) => i.id);
  const claimed = items.filter((i) => i.status === 'claimed');
  // Release and hand over name the items: they apply to chosen rows, not to a whole view.
  const mine = matching ? [] : claimed.filter((i) => i.assigneeId === viewer.id);
  const canHandOver = !matching && (viewer.role === 'admin' ? claimed.length > 0 : mine.length > 0);
  const assignees = useQuery({
    queryKey: ['exception-assignees'],
    queryFn: fetchAssignees,
    enabled: canHandOver,
    staleTime: 60_000,
  });
  // One item: the hand-over names the holder seen here, so a claim that moved meanwhile is refused.
  const seenHolder = items.length === 1 ? (items[0].assigneeId ?? undefined) : undefined;
  const targets = (assignees.data ?? []).filter((p) => !(items.length === 1 && p.id === items[0].assigneeId));

  const run = async (step: WorkflowStep) => {
    setBusy(true);
    try {
      let outcome: Outcome;
      if (matching && (step.step === 'claim' || step.step === 'snooze' || step.step === 'resolve')) {
        const result = await applyWorkflowToMatching(matching, step);
        outcome = { text: describeMatching(step.step, result), error: result.done < result.matched };
      } else {
        const result = await applyWorkflowStep(step.step === 'release' ? mine.map((i) => i.id) : ids, step);
        outcome = { text: describe(step.step, result), error: result.refused.length > 0 };
      }
      setMessage(outcome);
      onDone?.(outcome);
    } catch (err) {
      setMessage({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="workflow">
      <button
        type="button"
        className="button"
        disabled={busy || !ids.length}
        onClick={() => void run({ step: 'claim' })}
      >
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
      <button
        type="button"
        className="button button--quiet"
        disabled={busy || !ids.length}
        onClick={() => void run({ step: 'resolve' })}
      >
        Resolve
      </button>
      {mine.length > 0 && (
        <button
          type="button"
          className="button button--quiet"
          disabled={busy}
          onClick={() => void run({ step: 'release' })}
        >
          Release claim
        </button>
      )}
      {canHandOver && (
        <span className="workflow__handover">
          <label className="field field--inline">
            Hand over to
            <select value={handTo} onChange={(e) => setHandTo(e.target.value)} disabled={busy || assignees.isPending}>
              <option value="">{assignees.isPending ? 'loading…' : 'choose a person'}</option>
              {targets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="button button--quiet"
            disabled={busy || !handTo}
            onClick={() => void run({ step: 'reassign', toUserId: handTo, expectedAssigneeId: seenHolder })}
          >
            Hand over
          </button>
        </span>
      )}
      {assignees.error && <p className="form-error">{assignees.error.message}</p>}
      {message && (
        <p role="status" className={message.error ? 'form-error' : 'muted'}>
          {message.text}
        </p>
      )}
    </div>
  );
}
