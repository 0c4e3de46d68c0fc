import { kpiCatalogue } from '@/analytics/kpis/kpi-catalogue';
import { listTargetsInForce } from '@/analytics/kpis/kpi-targets';
import { KpiTargetRow } from '@/components/admin/KpiTargetRow';
import { AppHeader } from '@/components/shell/AppHeader';
import { requireSession } from '@/lib/auth/require-session';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';

export const dynamic = 'force-dynamic';

/** Admins set each KPI's target and amber band; open boards recolour as soon as one is saved. */
export default async function KpiTargetsPage() {
  const { user } = await requireSession('/admin/kpi-targets');
  if (user.role !== 'admin') {
    return (
      <>
        <AppHeader user={user} />
        <main className="page">
          <div className="banner banner--error" role="alert" data-testid="forbidden">
            403 — only admins can change KPI targets. Ask an admin if a target looks wrong.
          </div>
        </main>
      </>
    );
  }
  const targets = new Map((await listTargetsInForce(transactionalStoreSlot.get().db)).map((t) => [t.key, t]));
  return (
    <>
      <AppHeader user={user} />
      <main className="page admin">
        <section className="panel">
          <h2 className="panel__title">KPI targets</h2>
          <p className="muted">
            A tile is green on the right side of its target, amber within the amber band on the wrong side, red beyond it.
            Percentages are entered in percent. Reset goes back to the catalogue’s default.
          </p>
          <table className="audit-table" data-testid="kpi-targets">
            <thead>
              <tr>
                <th>KPI</th>
                <th>Better</th>
                <th>Target</th>
                <th>Source</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {kpiCatalogue.map((kpi) => {
                const inForce = targets.get(kpi.key);
                return (
                  <KpiTargetRow
                    key={kpi.key}
                    kpi={{ key: kpi.key, label: kpi.label, format: kpi.format, better: kpi.better, hasDefault: kpi.target !== undefined }}
                    target={inForce?.target ?? null}
                    source={inForce?.source ?? 'none'}
                    updated={inForce?.updatedAt ? `${inForce.updatedAt.slice(0, 16).replace('T', ' ')} UTC` : null}
                  />
                );
              })}
            </tbody>
          </table>
        </section>
      </main>
    </>
  );
}
