import Link from 'next/link';
import type { SkuReturn } from '@/analytics/queries/drill-through/sku-recent-returns';
import type { ReturnReason } from '@/analytics/queries/drill-through/sku-returns-by-reason';
import { formatCount, formatUtc } from './format';

/** Returns of the SKU by reason code, then the latest returns, each opening its page. */
export function SkuReturns({ reasons, recent }: { reasons: ReturnReason[]; recent: SkuReturn[] }) {
  if (reasons.length === 0) return <p className="muted">No return of this SKU was requested in this range.</p>;
  return (
    <>
      <table className="dt-table" data-testid="returns-by-reason">
        <thead>
          <tr>
            <th>Reason</th>
            <th className="dt-num">Returns</th>
            <th className="dt-num">Units</th>
            <th className="dt-num">Units rejected</th>
          </tr>
        </thead>
        <tbody>
          {reasons.map((r) => (
            <tr key={r.reasonCode}>
              <td>{r.reasonCode || '—'}</td>
              <td className="dt-num">{formatCount(r.returns)}</td>
              <td className="dt-num">{formatCount(r.units)}</td>
              <td className="dt-num">{r.rejectedUnits ? formatCount(r.rejectedUnits) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="dt-help">Latest returns</h3>
      <table className="dt-table" data-testid="recent-returns">
        <thead>
          <tr>
            <th>Return</th>
            <th>Order</th>
            <th>Requested (UTC)</th>
            <th className="dt-num">Units</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {recent.map((r) => (
            <tr key={r.returnId}>
              <td>
                <Link href={`/returns/${encodeURIComponent(r.returnId)}`}>{r.returnId}</Link>
              </td>
              <td>
                <Link href={`/orders/${encodeURIComponent(r.orderId)}`}>{r.orderId}</Link>
              </td>
              <td className="dt-nowrap">{formatUtc(r.requestedAt)}</td>
              <td className="dt-num">{r.units}</td>
              <td>{r.reasonCodes.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
