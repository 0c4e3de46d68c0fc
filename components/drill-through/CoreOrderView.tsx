import type { OrderView } from '@/lib/core/entity-views';
import { Facts } from './Facts';
import { formatMoney, formatUtc } from './format';

/** The order as the transactional core holds it now, next to what the events said. */
export function CoreOrderView({ view, error, connected }: { view: OrderView | null; error: string | null; connected: boolean }) {
  if (error) return <p className="form-error">{error}</p>;
  if (!connected) return <p className="muted">No transactional core is connected to this process, so only the events are shown.</p>;
  if (!view) return <p className="muted">The core does not know this order (it may come from another source, or predate the core’s history).</p>;
  return (
    <div data-testid="core-order">
      <Facts
        rows={[
          ['Status', view.status],
          ['Hold reason', view.holdReason],
          ['Warehouse', view.warehouse],
          ['Amount', formatMoney(view.amount, view.currency)],
          ['Promised ship by', formatUtc(view.promisedShipBy)],
          ['Expedited', view.expedited ? 'yes' : 'no'],
          ['Pick', view.pick ? `${view.pick.pickId}: ${view.pick.status}, due ${formatUtc(view.pick.dueBy)}` : null],
          [
            'Shipment',
            view.shipment ? `${view.shipment.shipmentId} with ${view.shipment.carrier} ${view.shipment.service}: ${view.shipment.status}, ETA ${formatUtc(view.shipment.eta)}` : null,
          ],
        ]}
      />
      {view.lines.length > 0 && (
        <table className="dt-table">
          <thead>
            <tr>
              <th>SKU</th>
              <th className="dt-num">Ordered</th>
              <th className="dt-num">Shipped</th>
            </tr>
          </thead>
          <tbody>
            {view.lines.map((l, i) => (
              <tr key={`${l.sku}-${i}`}>
                <td>
                  <code>{l.sku}</code>
                </td>
                <td className="dt-num">{l.qty}</td>
                <td className="dt-num">{l.qtyShipped}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
