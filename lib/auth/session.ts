import { LRUCache } from 'lru-cache';
import { authSlot } from './auth';
import { isRole, type Role } from './roles';

export interface TowerSession {
  user: { id: string; name: string; email: string; role: Role };
}

/**
 * How long a read may reuse a session it looked up: the queue and the board ask on every page,
 * scroll and refresh, and each lookup is two queries on the store the exception engine also uses.
 * A sign-out or a role change shows on those reads within this time; anything that changes state
 * (an action, a claim, an admin setting) always looks the session up afresh.
 */
const READ_REUSE_MS = 15_000;
const recent = new LRUCache<string, TowerSession>({ max: 5_000, ttl: READ_REUSE_MS });
const SESSION_COOKIE = /(?:^|;\s*)((?:__Secure-)?better-auth\.session_token=[^;]+)/;

/**
 * The signed-in user behind these request headers, or null. A user with an unknown role has no
 * session here. `forRead` lets a request that changes nothing reuse a lookup of the last seconds.
 */
export async function getSession(headers: Headers, o: { forRead?: boolean } = {}): Promise<TowerSession | null> {
  const token = SESSION_COOKIE.exec(headers.get('cookie') ?? '')?.[1];
  const reused = token && o.forRead ? recent.get(token) : undefined;
  if (reused) return reused;
  const found = await authSlot.get().api.getSession({ headers });
  const session = found && isRole(found.user.role) ? { user: { ...pick(found.user), role: found.user.role } } : null;
  if (token && session) recent.set(token, session);
  else if (token) recent.delete(token);
  return session;
}

const pick = ({ id, name, email }: { id: string; name: string; email: string }) => ({ id, name, email });
