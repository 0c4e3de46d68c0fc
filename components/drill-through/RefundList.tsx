import type { RefundSummary } from '@/analytics/drill-through/return-summary';
import { formatMoney, formatUtc } from './format';

/** The refunds a return led to, from their events: requested, approved, issued or rejected. */
export function RefundList({ refunds, currency }: { refunds: RefundSummary[]; currency: string }) {
  if (refunds.length === 0) return <p className="muted">No refund has been requested for it.</p>;
  return (
    <table className="dt-table" data-testid="refunds">
      <thead>
        <tr>
          <th>Refund</th>
          <th className="dt-num">Requested</th>
          <th>Approved</th>
          <th className="dt-num">Issued</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody>
        {refunds.map((r) => (
          <tr key={r.refundId} data-testid="refund">
            <td>{r.refundId}</td>
            <td className="dt-num">
              {r.requestedAmount === null ? '—' : formatMoney(r.requestedAmount, currency)}
              {r.requestedAt && <div className="muted">{formatUtc(r.requestedAt)}</div>}
            </td>
            <td>{r.approvedAt ? `${formatUtc(r.approvedAt)}${r.approver ? ` by ${r.approver}` : ''}` : '—'}</td>
            <td className="dt-num">
              {r.issuedAt ? formatMoney(r.issuedAmount, currency) : '—'}
              {r.issuedAt && <div className="muted">{formatUtc(r.issuedAt)}</div>}
            </td>
            <td>
              {r.rejectedAt
                ? `rejected: ${r.rejectedReason ?? 'no reason given'}`
                : r.issuedAt
                  ? `issued${r.method ? ` to ${r.method}` : ''}`
                  : r.approvedAt
                    ? 'approved, not issued yet'
                    : 'awaiting approval'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
