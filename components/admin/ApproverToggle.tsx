'use client';

import { useState } from 'react';
import { z } from 'zod';
import { call } from '@/components/exceptions/exceptions-api';

const answerSchema = z.object({ person: z.object({ id: z.string(), approver: z.boolean() }) });

/** Grants or withdraws one person's approver right; the server records who did it in the audit log. */
export function ApproverToggle({ userId, name, approver, canHold }: { userId: string; name: string; approver: boolean; canHold: boolean }) {
  const [holds, setHolds] = useState(approver);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const change = async (next: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await call('/api/admin/approvers', answerSchema, { method: 'PUT', body: { userId, approver: next } });
      setHolds(answer.person.approver);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid={`approver-${userId}`}>
      <span data-testid="approver-state">{holds ? 'approver' : '—'}</span>{' '}
      {holds ? (
        <button type="button" className="button button--quiet" disabled={busy} onClick={() => void change(false)}>
          Withdraw
        </button>
      ) : (
        <button
          type="button"
          className="button button--quiet"
          disabled={busy || !canHold}
          title={canHold ? undefined : `${name} cannot act, so the right would do nothing`}
          onClick={() => void change(true)}
        >
          Grant
        </button>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
