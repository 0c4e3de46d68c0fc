'use client';

import type { CoreView } from './exceptions-api';

const SHOWN: Record<CoreView['kind'], { key: string; label: string }[]> = {
  order: [
    { key: 'status', label: 'Status' },
    { key: 'holdReason', label: 'Hold reason' },
    { key: 'warehouse', label: 'Warehouse' },
    { key: 'promisedShipBy', label: 'Promised ship by' },
    { key: 'amount', label: 'Amount' },
  ],
  refund: [
    { key: 'status', label: 'Status' },
    { key: 'amount', label: 'Amount' },
    { key: 'method', label: 'Method' },
    { key: 'returnId', label: 'Return' },
  ],
  return: [
    { key: 'status', label: 'Status' },
    { key: 'warehouse', label: 'Warehouse' },
    { key: 'refundId', label: 'Refund' },
  ],
};

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return new Date(value).toLocaleString();
  return String(value);
}

/** What the core says about the entity right now, next to what the tower inferred from events. */
export function CoreContext({ view, loading, error }: { view: CoreView | null | undefined; loading: boolean; error: Error | null }) {
  if (loading) return <p className="muted">Asking the core…</p>;
  if (error) return <p className="form-error">{error.message}</p>;
  if (!view) return <p className="muted">The core no longer tracks this entity (it finished, or is not the sandbox’s).</p>;
  const lines = (view.view as { lines?: { sku: string; qty: number }[] }).lines;
  return (
    <div data-testid="core-context">
      <dl className="xpanel__facts">
        {SHOWN[view.kind].map(({ key, label }) => (
          <div key={key} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd>{text((view.view as Record<string, unknown>)[key])}</dd>
          </div>
        ))}
      </dl>
      {lines && lines.length > 0 && (
        <ul className="xpanel__lines">
          {lines.map((l, i) => (
            <li key={`${l.sku}-${i}`}>
              <code>{l.sku}</code> × {l.qty}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
