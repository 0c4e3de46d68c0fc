import type { SkuMargin } from '@/analytics/queries/drill-through/sku-margin';
import { formatCount, formatMoney } from './format';

/** What the margin figures are, word for word with analytics/queries/drill-through/sku-margin.ts. */
export const SKU_MARGIN_HELP =
  'From the lines of this SKU on orders placed in the range (order.created): units sold = Σ qty; sales = Σ qty × unit price − line discount; cost = Σ qty × unit cost as the order line carried it; gross margin = sales − cost, and margin % = gross margin ÷ sales. Cancellations, returns, refunds, shipping and fees are not taken off. Lines without a unit cost add to sales but not to cost, so they are counted apart. One row per order currency; amounts are never converted.';

export function SkuMarginTable({ rows }: { rows: SkuMargin[] }) {
  if (rows.length === 0) return <p className="muted">No order for this SKU was placed in this range.</p>;
  return (
    <table className="dt-table" data-testid="sku-margin">
      <thead>
        <tr>
          <th>Currency</th>
          <th className="dt-num">Orders</th>
          <th className="dt-num">Units sold</th>
          <th className="dt-num">Sales</th>
          <th className="dt-num">Cost</th>
          <th className="dt-num">Gross margin</th>
          <th className="dt-num">Margin %</th>
          <th className="dt-num">Units without cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={m.currency}>
            <td>{m.currency}</td>
            <td className="dt-num">{formatCount(m.orders)}</td>
            <td className="dt-num">{formatCount(m.unitsSold)}</td>
            <td className="dt-num">{formatMoney(m.sales, m.currency)}</td>
            <td className="dt-num">{formatMoney(m.cost, m.currency)}</td>
            <td className="dt-num">{formatMoney(m.grossMargin, m.currency)}</td>
            <td className="dt-num">{m.sales > 0 ? `${((m.grossMargin / m.sales) * 100).toFixed(1)} %` : '—'}</td>
            <td className="dt-num">{m.unitsWithoutCost ? formatCount(m.unitsWithoutCost) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
