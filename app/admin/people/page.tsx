import { ApproverToggle } from '@/components/admin/ApproverToggle';
import { AdminForbidden } from '@/components/shell/AdminForbidden';
import { AppHeader } from '@/components/shell/AppHeader';
import { listPeopleWithRights } from '@/lib/actions/people-rights';
import { getRefundApprovalThreshold } from '@/lib/actions/refund-approval-threshold';
import { requireSession } from '@/lib/auth/require-session';
import { canActOnExceptions, ROLE_LABELS } from '@/lib/auth/roles';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';

export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

/** `/admin/people`: who can sign in, their role, the approver right, and the amount that needs it. */
export default async function PeoplePage({ searchParams }: { searchParams: Promise<Search> }) {
  const { user } = await requireSession('/admin/people');
  if (user.role !== 'admin') {
    return (
      <>
        <AppHeader user={user} />
        <AdminForbidden what="change people's rights" />
      </>
    );
  }
  const search = await searchParams;
  const { db } = transactionalStoreSlot.get();
  const [people, threshold] = await Promise.all([listPeopleWithRights(db), getRefundApprovalThreshold(db)]);
  return (
    <>
      <AppHeader user={user} />
      <main className="page admin">
        <section className="panel">
          <h2 className="panel__title">Refund approval threshold</h2>
          <form method="post" action="/api/admin/refund-threshold" className="admin__row">
            <input type="hidden" name="returnTo" value="/admin/people" />
            <label className="field">
              Refunds above this amount need a second person with the approver right, never the requester
              <input name="threshold" type="number" min="0" max="1000000" step="0.01" defaultValue={threshold} required />
            </label>
            <button className="button" type="submit">
              Save
            </button>
          </form>
          {first(search.threshold_saved) && <p className="muted">Saved: {first(search.threshold_saved)}.</p>}
          {first(search.threshold_error) && <p className="form-error">{first(search.threshold_error)}</p>}
        </section>
        <section className="panel">
          <h2 className="panel__title">People</h2>
          <table className="audit-table" data-testid="people-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>Approver right</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.name}
                    {p.banned && <span className="muted"> (banned)</span>}
                  </td>
                  <td>{p.email}</td>
                  <td>{ROLE_LABELS[p.role]}</td>
                  <td>
                    <ApproverToggle userId={p.id} name={p.name} approver={p.approver} canHold={canActOnExceptions(p.role)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">Only ops leads and admins act, so only they can hold the approver right. Every change is kept in the audit log.</p>
        </section>
      </main>
    </>
  );
}
