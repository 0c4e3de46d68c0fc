import { RuleSettingsRow } from '@/components/admin/RuleSettingsRow';
import { AdminForbidden } from '@/components/shell/AdminForbidden';
import { AppHeader } from '@/components/shell/AppHeader';
import { requireSession } from '@/lib/auth/require-session';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';
import { QUEUE_LABELS, exceptionQueues } from '@/lib/exceptions/exception-item';
import { readRuleSettings } from '@/lib/exceptions/rule-settings-store';
import { ruleSettingsViews } from '@/lib/exceptions/rule-settings-view';

export const dynamic = 'force-dynamic';

/** `/admin/exception-rules`: every rule of the catalogue by queue, with its switch, SLA and thresholds. */
export default async function ExceptionRulesPage() {
  const { user } = await requireSession('/admin/exception-rules');
  if (user.role !== 'admin') {
    return (
      <>
        <AppHeader user={user} />
        <AdminForbidden what="change exception rules" />
      </>
    );
  }
  const views = ruleSettingsViews(await readRuleSettings(transactionalStoreSlot.get().db));
  return (
    <>
      <AppHeader user={user} />
      <main className="page admin">
        {exceptionQueues.map((queue) => {
          const rules = views.filter((v) => v.queue === queue);
          if (rules.length === 0) return null;
          return (
            <section key={queue} className="panel" aria-label={QUEUE_LABELS[queue]}>
              <h2 className="panel__title">{QUEUE_LABELS[queue]}</h2>
              <table className="audit-table rules-table">
                <thead>
                  <tr>
                    <th>Rule</th>
                    <th>Enabled</th>
                    <th>SLA (minutes)</th>
                    <th>Thresholds</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rules.map((view) => (
                    <RuleSettingsRow key={view.rule} view={view} />
                  ))}
                </tbody>
              </table>
            </section>
          );
        })}
        <p className="muted">A switched-off rule leaves its open items as they are. Every change is kept in the audit log.</p>
      </main>
    </>
  );
}
