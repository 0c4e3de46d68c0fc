import type { DailyFlow } from '@/analytics/queries/drill-through/sku-daily-flows';
import { formatCount } from './format';

const COLUMNS: [keyof Omit<DailyFlow, 'day'>, string][] = [
  ['received', 'Received'],
  ['shipped', 'Shipped'],
  ['adjustedUp', 'Adjusted +'],
  ['adjustedDown', 'Adjusted −'],
  ['transferredIn', 'Transferred in'],
  ['transferredOut', 'Transferred out'],
  ['returned', 'Returned'],
];

/** Units in and out per day; days without any flow are left out, the total covers the range. */
export function DailyFlowsTable({ flows }: { flows: DailyFlow[] }) {
  if (flows.length === 0) return <p className="muted">Nothing moved in this range.</p>;
  return (
    <table className="dt-table" data-testid="daily-flows">
      <thead>
        <tr>
          <th>Day (UTC)</th>
          {COLUMNS.map(([key, label]) => (
            <th key={key} className="dt-num">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {flows.map((f) => (
          <tr key={f.day}>
            <td className="dt-nowrap">{f.day}</td>
            {COLUMNS.map(([key]) => (
              <td key={key} className="dt-num">
                {f[key] ? formatCount(f[key]) : ''}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td>Total</td>
          {COLUMNS.map(([key]) => (
            <td key={key} className="dt-num">
              {formatCount(flows.reduce((s, f) => s + f[key], 0))}
            </td>
          ))}
        </tr>
      </tfoot>
    </table>
  );
}
