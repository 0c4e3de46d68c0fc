'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ACTION_LABELS, actionPayloadSchemas, type ActionOutcome } from '@/lib/actions/action-requests';
import type { ActionInput, ActionOffer } from '@/lib/actions/actions-for-exception';
import { performAction } from './exceptions-api';

const WAREHOUSES = ['WH-EAST', 'WH-WEST', 'WH-CENTRAL'];
const DISPOSITIONS = ['restock', 'refurbish', 'vendor_claim', 'liquidate', 'scrap'];

type Result = { ok: true; outcome: ActionOutcome } | { ok: false; message: string };

function payloadFrom(offer: ActionOffer, inputs: Partial<Record<ActionInput, string>>, returnLines: { sku: string; qty: number }[]): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...offer.known };
  if (inputs.reason !== undefined) payload.reason = inputs.reason;
  if (inputs.warehouse !== undefined) payload.warehouse = inputs.warehouse;
  if (inputs.countedQty !== undefined) payload.countedQty = Number(inputs.countedQty);
  if (inputs.qty !== undefined) payload.qty = Number(inputs.qty);
  // One disposition for every line of the return, as the core lists them.
  if (inputs.disposition !== undefined) payload.lines = returnLines.map((l) => ({ ...l, disposition: inputs.disposition }));
  return payload;
}

/**
 * One action on the exception's entity. The idempotency key is made when the form opens and kept
 * until it succeeds, so a double click or a retry after a network error has one effect.
 */
export function ActionForm({ offer, exceptionId, returnLines }: { offer: ActionOffer; exceptionId: string; returnLines: { sku: string; qty: number }[] }) {
  const [inputs, setInputs] = useState<Partial<Record<ActionInput, string>>>(() =>
    Object.fromEntries(offer.ask.map((a) => [a, a === 'warehouse' ? WAREHOUSES[0] : a === 'disposition' ? DISPOSITIONS[0] : ''])),
  );
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const queryClient = useQueryClient();
  const label = ACTION_LABELS[offer.action];
  const payload = payloadFrom(offer, inputs, returnLines);
  const valid = actionPayloadSchemas[offer.action].safeParse(payload).success;

  const submit = async () => {
    setBusy(true);
    try {
      const outcome = await performAction({ action: offer.action, payload, idempotencyKey: key, exceptionId });
      setResult({ ok: true, outcome });
      setKey(crypto.randomUUID());
    } catch (err) {
      setResult({ ok: false, message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
      // Done or refused, the core's state may not be what the panel shows: ask it again.
      void queryClient.invalidateQueries({ queryKey: ['core'] });
    }
  };

  const field = (name: ActionInput, control: React.ReactNode, text: string) => (
    <label className="field field--inline" key={name}>
      {text}
      {control}
    </label>
  );

  return (
    <form
      className="action-form"
      data-testid={`action-${offer.action}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {offer.ask.map((name) => {
        const set = (value: string) => setInputs((prev) => ({ ...prev, [name]: value }));
        switch (name) {
          case 'reason':
            return field(name, <input value={inputs.reason ?? ''} onChange={(e) => set(e.target.value)} required placeholder="why" />, 'Reason');
          case 'warehouse':
            return field(name, <select value={inputs.warehouse} onChange={(e) => set(e.target.value)}>{WAREHOUSES.map((w) => <option key={w}>{w}</option>)}</select>, 'To');
          case 'disposition':
            return field(name, <select value={inputs.disposition} onChange={(e) => set(e.target.value)}>{DISPOSITIONS.map((d) => <option key={d}>{d}</option>)}</select>, 'Disposition');
          case 'countedQty':
            return field(name, <input type="number" min={0} value={inputs.countedQty ?? ''} onChange={(e) => set(e.target.value)} required />, 'Counted');
          case 'qty':
            return field(name, <input type="number" min={1} value={inputs.qty ?? ''} onChange={(e) => set(e.target.value)} required />, 'Units');
        }
      })}
      <button type="submit" className="button" disabled={busy || !valid}>
        {busy ? `${label}…` : label}
      </button>
      {result && (
        <p role="status" className={result.ok ? 'action-form__done' : 'form-error'}>
          {result.ok ? result.outcome.summary : result.message}
        </p>
      )}
    </form>
  );
}
