import type { WarehouseMovement } from '@/analytics/queries/drill-through/sku-movement-since-snapshot';
import type { StockSnapshot } from '@/analytics/queries/drill-through/sku-stock-snapshots';
import { formatCount, formatUtc } from './format';

const net = (moves: WarehouseMovement[]) => moves.reduce((s, m) => s + m.unitsIn - m.unitsOut, 0);
const sumKind = (moves: WarehouseMovement[], kind: WarehouseMovement['kind'], side: 'unitsIn' | 'unitsOut') =>
  moves.filter((m) => m.kind === kind).reduce((s, m) => s + m[side], 0);

/**
 * Per warehouse: the core's latest count by status, then what the events moved since that count.
 * The estimate adds the two; when it drifts from the next count, the drift rule raises an exception.
 */
export function StockByWarehouse({ snapshots, movements }: { snapshots: StockSnapshot[]; movements: WarehouseMovement[] }) {
  const warehouses = [...new Set([...snapshots.map((s) => s.warehouse), ...movements.map((m) => m.warehouse)])].sort();
  if (warehouses.length === 0) return <p className="muted">No stock count or movement stored for this SKU.</p>;
  return (
    <table className="dt-table" data-testid="stock-by-warehouse">
      <thead>
        <tr>
          <th>Warehouse</th>
          <th>Counted (UTC)</th>
          <th className="dt-num">On hand</th>
          <th className="dt-num">Reserved</th>
          <th className="dt-num">Available</th>
          <th className="dt-num">Quarantine</th>
          <th className="dt-num">Damaged</th>
          <th className="dt-num">In transit</th>
          <th className="dt-num">Received since</th>
          <th className="dt-num">Shipped since</th>
          <th className="dt-num">Adjusted since</th>
          <th className="dt-num">Transfers since</th>
          <th className="dt-num">Restocked since</th>
          <th className="dt-num">On hand now (est.)</th>
        </tr>
      </thead>
      <tbody>
        {warehouses.map((w) => {
          const s = snapshots.find((x) => x.warehouse === w);
          const moves = movements.filter((m) => m.warehouse === w);
          const signed = (kind: WarehouseMovement['kind']) => {
            const n = sumKind(moves, kind, 'unitsIn') - sumKind(moves, kind, 'unitsOut');
            return n === 0 ? '0' : `${n > 0 ? '+' : '−'}${formatCount(Math.abs(n))}`;
          };
          return (
            <tr key={w || 'unknown'} data-testid="stock-row">
              <td>{w || <span className="muted">return not yet received anywhere</span>}</td>
              <td className="dt-nowrap">{s ? formatUtc(s.at) : <span className="muted">never counted</span>}</td>
              <td className="dt-num">{s ? formatCount(s.onHand) : '—'}</td>
              <td className="dt-num">{s ? formatCount(s.reserved) : '—'}</td>
              <td className="dt-num">{s ? formatCount(s.available) : '—'}</td>
              <td className="dt-num">{s ? formatCount(s.quarantine) : '—'}</td>
              <td className="dt-num">{s ? formatCount(s.damaged) : '—'}</td>
              <td className="dt-num">{s ? formatCount(s.inTransit) : '—'}</td>
              <td className="dt-num">{signed('received')}</td>
              <td className="dt-num">{signed('shipped')}</td>
              <td className="dt-num">{signed('adjusted')}</td>
              <td className="dt-num">{signed('transferred')}</td>
              <td className="dt-num">{signed('restocked')}</td>
              <td className="dt-num">{s ? formatCount(s.onHand + net(moves)) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
