import { authSlot } from './auth';
import { isRole, type Role } from './roles';

export interface TowerSession {
  user: { id: string; name: string; email: string; role: Role };
}

/** The signed-in user behind these request headers, or null. A user with an unknown role has no session here. */
export async function getSession(headers: Headers): Promise<TowerSession | null> {
  const found = await authSlot.get().api.getSession({ headers });
  if (!found) return null;
  const { id, name, email, role } = found.user;
  if (!isRole(role)) return null;
  return { user: { id, name, email, role } };
}
