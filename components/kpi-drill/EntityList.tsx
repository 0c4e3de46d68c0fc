import Link from 'next/link';
import type { KpiDefinition } from '@/analytics/kpis/kpi-definition';
import type { KpiEntityGroup } from '@/analytics/kpis/list-kpi-entities';
import { formatMetricValue, metricHeading } from '@/analytics/kpis/ledger/metric-labels';
import { formatKpiValue } from '@/lib/charts/kpi-value-format';
import { countEntities, ENTITY_KINDS } from '@/lib/entity-kind';
import { entityLink } from './entity-href';

/** The entities behind a KPI's number with what each contributes; each opens its drill-through page, filters along. */
export function EntityList({ groups, kpi, throughQuery }: { groups: KpiEntityGroup[]; kpi: KpiDefinition; throughQuery: string }) {
  if (groups.every((g) => g.entities.length === 0)) {
    return <p className="muted" data-testid="entity-list-empty">Nothing contributes to this number in this range.</p>;
  }
  return (
    <>
      {groups.map((group) => {
        const columns = [...new Set(group.entities.flatMap((e) => Object.keys(e.values)))].sort();
        const durations = group.entities.some((e) => e.seconds !== null);
        return (
          <div key={group.family} className="entity-list" data-testid={`entity-list-${group.family}`}>
            <h2 className="panel__title">
              {countEntities(group.entities.length, group.keys)} behind {kpi.label}
              {group.truncated && <span className="muted"> (the first {group.entities.length}; narrow the view to see others)</span>}
            </h2>
            <table className="audit-table">
              <thead>
                <tr>
                  <th>{capitalised(ENTITY_KINDS[group.keys].one)}</th>
                  {durations && <th>Duration</th>}
                  {columns.map((c) => (
                    <th key={c} title={c}>
                      {metricHeading(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {group.entities.map((e) => {
                  const { href: page, label } = entityLink(group.keys, e.key);
                  return (
                    <tr key={e.key}>
                      <td>
                        {page ? (
                          <Link href={throughQuery ? `${page}${page.includes('?') ? '&' : '?'}${throughQuery}` : page} data-testid="entity-link">
                            {label}
                          </Link>
                        ) : (
                          label
                        )}
                      </td>
                      {durations && <td>{formatKpiValue(e.seconds === null ? null : e.seconds / 3600, 'hours')}</td>}
                      {columns.map((c) => (
                        <td key={c} className="num">
                          {e.values[c] === undefined ? '' : formatMetricValue(c, e.values[c])}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </>
  );
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
