import { AdminForbidden } from '@/components/shell/AdminForbidden';
import { AppHeader } from '@/components/shell/AppHeader';
import { ACTION_LABELS, actionNames } from '@/lib/actions/action-requests';
import { ADMIN_CHANGE_LABELS, adminChangeNames } from '@/lib/actions/admin-changes';
import { auditFilterSchema, listAudit } from '@/lib/actions/audit-log';
import { getRefundApprovalThreshold } from '@/lib/actions/refund-approval-threshold';
import { requireSession } from '@/lib/auth/require-session';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';

export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { user } = await requireSession('/admin/audit');
  if (user.role !== 'admin') {
    return (
      <>
        <AppHeader user={user} />
        <AdminForbidden what="see the audit log and its settings" />
      </>
    );
  }
  const search = await searchParams;
  const filter = auditFilterSchema.safeParse({ actor: first(search.actor), action: first(search.action), entity: first(search.entity), page: first(search.page) });
  const f = filter.success ? filter.data : auditFilterSchema.parse({});
  const { db } = transactionalStoreSlot.get();
  const [audit, threshold] = await Promise.all([listAudit(db, f), getRefundApprovalThreshold(db)]);
  const pageLink = (page: number) => `?${new URLSearchParams({ ...(f.actor ? { actor: f.actor } : {}), ...(f.action ? { action: f.action } : {}), ...(f.entity ? { entity: f.entity } : {}), page: String(page) })}`;
  return (
    <>
      <AppHeader user={user} />
      <main className="page admin">
        <section className="panel">
          <h2 className="panel__title">Refund approval threshold</h2>
          <form method="post" action="/api/admin/refund-threshold" className="admin__row">
            <label className="field">
              Refunds above this amount need a second person with the approver right
              <input name="threshold" type="number" min="0" step="0.01" defaultValue={threshold} required />
            </label>
            <button className="button" type="submit">Save</button>
          </form>
          {first(search.threshold_saved) && <p className="muted">Saved: {first(search.threshold_saved)}.</p>}
          {first(search.threshold_error) && <p className="form-error">{first(search.threshold_error)}</p>}
        </section>
        <section className="panel">
          <h2 className="panel__title">Audit log</h2>
          <form method="get" className="admin__row">
            <label className="field">
              Actor (user id or name)
              <input name="actor" defaultValue={f.actor ?? ''} />
            </label>
            <label className="field">
              Action
              <select name="action" defaultValue={f.action ?? ''}>
                <option value="">any</option>
                {actionNames.map((a) => (
                  <option key={a} value={a}>
                    {ACTION_LABELS[a]}
                  </option>
                ))}
                {adminChangeNames.map((a) => (
                  <option key={a} value={a}>
                    {ADMIN_CHANGE_LABELS[a]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Entity id
              <input name="entity" defaultValue={f.entity ?? ''} />
            </label>
            <button className="button button--quiet" type="submit">Filter</button>
          </form>
          <table className="audit-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>When (UTC)</th>
                <th>Who</th>
                <th>Action</th>
                <th>On</th>
                <th>Outcome</th>
                <th>What happened</th>
              </tr>
            </thead>
            <tbody>
              {audit.rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.at.replace('T', ' ').slice(0, 19)}</td>
                  <td title={r.actor_id}>
                    {r.actor_name} <span className="muted">({r.actor_role})</span>
                  </td>
                  <td>{r.action}</td>
                  <td>
                    {r.entity_type} {r.entity_id}
                    {r.exception_id && <div className="muted">from {r.exception_id}</div>}
                  </td>
                  <td>{r.outcome}</td>
                  <td>
                    {r.message}
                    <details>
                      <summary className="muted">before / after</summary>
                      <pre>{JSON.stringify({ payload: r.payload, before: r.before, after: r.after }, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
              {audit.rows.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    No audit rows match.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <nav className="admin__row">
            {f.page > 1 && <a href={pageLink(f.page - 1)}>← newer</a>}
            {audit.hasMore && <a href={pageLink(f.page + 1)}>older →</a>}
          </nav>
        </section>
      </main>
    </>
  );
}
