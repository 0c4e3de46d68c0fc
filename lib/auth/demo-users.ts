import { ROLES, type Role } from './roles';
import type { TowerAuth } from './auth';

export interface DemoUser {
  role: Role;
  email: string;
  password: string;
}

/** One demo account per role, for the embedded mode only. */
export const DEMO_USERS: readonly DemoUser[] = ROLES.map((role) => ({
  role,
  email: `${role}@demo.tower`,
  password: `tower-demo-${role}`,
}));

/** Creates the demo accounts that do not exist yet; returns the ones it created. */
export async function ensureDemoUsers(auth: TowerAuth): Promise<DemoUser[]> {
  const context = await auth.$context;
  const created: DemoUser[] = [];
  for (const demo of DEMO_USERS) {
    if (await context.internalAdapter.findUserByEmail(demo.email)) continue;
    const name = demo.role.replace('_', ' ').replace(/^./, (c) => c.toUpperCase());
    await auth.api.createUser({ body: { email: demo.email, password: demo.password, name: `Demo ${name}`, role: demo.role } });
    created.push(demo);
  }
  return created;
}

/** Demo accounts exist in the embedded mode unless switched off, and on servers only when asked for. */
export function demoUsersEnabled(env: { TOWER_DEMO_USERS?: boolean; DATABASE_URL?: string }): boolean {
  return env.TOWER_DEMO_USERS ?? !env.DATABASE_URL;
}
