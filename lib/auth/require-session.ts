import { headers as requestHeaders } from 'next/headers';
import { redirect } from 'next/navigation';
import { getSession, type TowerSession } from './session';

/** For server components: the session, or a redirect to sign-in that comes back here afterwards. */
export async function requireSession(returnTo = '/'): Promise<TowerSession> {
  const session = await getSession(await requestHeaders(), { forRead: true });
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return session;
}
