/** What a signed-in non-admin sees on an admin page: a refusal that says who can help. */
export function AdminForbidden({ what }: { what: string }) {
  return (
    <main className="page">
      <div className="banner banner--error" role="alert" data-testid="forbidden">
        403 — only admins can {what}. Ask an admin if you need a change here.
      </div>
    </main>
  );
}
