import type { ReturnLine } from '@/analytics/drill-through/return-summary';
import { formatMoney } from './format';

/** Each returned SKU through request, receipt and inspection, with what it sold for and what was recovered. */
export function ReturnLines({ lines, unitPrice, currency }: { lines: ReturnLine[]; unitPrice: (sku: string) => number | null; currency: string }) {
  if (lines.length === 0) return <p className="muted">No return lines stored yet.</p>;
  return (
    <table className="dt-table" data-testid="return-lines">
      <thead>
        <tr>
          <th>SKU</th>
          <th className="dt-num">Requested</th>
          <th>Reason</th>
          <th className="dt-num">Received</th>
          <th>Condition</th>
          <th className="dt-num">Inspected</th>
          <th>Disposition</th>
          <th className="dt-num">Sold for</th>
          <th className="dt-num">Recovery value</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => {
          const price = unitPrice(l.sku);
          return (
            <tr key={l.sku} data-testid="return-line">
              <td>
                <a href={`/skus/${encodeURIComponent(l.sku)}`}>{l.sku}</a>
              </td>
              <td className="dt-num">{l.qtyRequested}</td>
              <td>{l.reasonCode ?? '—'}</td>
              <td className="dt-num">{l.qtyReceived}</td>
              <td>{l.condition ?? '—'}</td>
              <td className="dt-num">{l.qtyInspected}</td>
              <td>{l.disposition ?? '—'}</td>
              <td className="dt-num">{price === null ? '—' : formatMoney(price * l.qtyRequested, currency)}</td>
              <td className="dt-num">{l.recoveryValue === null ? '—' : formatMoney(l.recoveryValue, currency)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
