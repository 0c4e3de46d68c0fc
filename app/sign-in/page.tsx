import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/sign-in/SignInForm';
import { DEMO_USERS, demoUsersEnabled } from '@/lib/auth/demo-users';
import { getSession } from '@/lib/auth/session';
import { readEnv } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** Only a path on this site: anything else (another origin, "//host") would make sign-in an open redirect. */
function safeReturnPath(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const returnTo = safeReturnPath((await searchParams).next);
  if (await getSession(await headers())) redirect(returnTo);
  const demoAccounts = demoUsersEnabled(readEnv()) ? DEMO_USERS.map(({ label, email, password }) => ({ role: label, email, password })) : [];
  return (
    <main className="sign-in">
      <div className="sign-in__panel">
        <h1 className="sign-in__title">
          <span className="app-header__mark" aria-hidden="true" />
          Control Tower
        </h1>
        <p className="muted">Sign in to watch orders, stock and returns as they happen.</p>
        <SignInForm returnTo={returnTo} demoAccounts={demoAccounts} />
      </div>
    </main>
  );
}
