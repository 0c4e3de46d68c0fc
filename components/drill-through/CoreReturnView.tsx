import type { RefundView, ReturnView } from '@/lib/core/entity-views';
import { Facts } from './Facts';
import { formatMoney, formatUtc } from './format';

/** The return (and its refund) as the transactional core holds them now. */
export function CoreReturnView(o: { view: ReturnView | null; refund: RefundView | null; currency: string; error: string | null; connected: boolean }) {
  if (o.error) return <p className="form-error">{o.error}</p>;
  if (!o.connected) return <p className="muted">No transactional core is connected to this process, so only the events are shown.</p>;
  if (!o.view) return <p className="muted">The core does not know this return (it may come from another source, or predate the core’s history).</p>;
  return (
    <div data-testid="core-return">
      <Facts
        rows={[
          ['Status', o.view.status],
          ['Warehouse', o.view.warehouse],
          ['Refund', o.refund ? `${o.refund.refundId}: ${o.refund.status}, ${formatMoney(o.refund.amount, o.currency)} to ${o.refund.method}, requested ${formatUtc(o.refund.requestedAt)}` : o.view.refundId],
          ['Lines', o.view.lines.map((l) => `${l.sku} × ${l.qty} (${[l.reasonCode, l.condition, l.disposition].filter(Boolean).join(', ')})`).join('; ')],
        ]}
      />
    </div>
  );
}
