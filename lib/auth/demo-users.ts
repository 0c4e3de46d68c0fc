import { ROLES, type Role } from './roles';
import type { TowerAuth } from './auth';

export interface DemoUser {
  role: Role;
  email: string;
  password: string;
  /** What the sign-in hint calls the account (the role, or what sets it apart). */
  label: string;
  name: string;
  /** Holds the approver right: the second signature on large refunds. */
  approver: boolean;
}

const titled = (role: Role) => role.replace('_', ' ').replace(/^./, (c) => c.toUpperCase());

/** One demo account per role, plus an ops lead with the approver right, for the embedded mode only. */
export const DEMO_USERS: readonly DemoUser[] = [
  ...ROLES.map((role) => ({ role, email: `${role}@demo.tower`, password: `tower-demo-${role}`, label: titled(role), name: `Demo ${titled(role)}`, approver: false })),
  { role: 'ops_lead', email: 'approver@demo.tower', password: 'tower-demo-approver', label: 'Ops lead, approver', name: 'Demo Approver', approver: true },
];

/**
 * Creates the demo accounts that do not exist yet; returns the ones it created. `grantApprover`
 * records the approver right for the accounts that hold it (the right lives with the actions).
 */
export async function ensureDemoUsers(auth: TowerAuth, grantApprover: (userId: string) => Promise<void>): Promise<DemoUser[]> {
  const context = await auth.$context;
  const created: DemoUser[] = [];
  for (const demo of DEMO_USERS) {
    const existing = await context.internalAdapter.findUserByEmail(demo.email);
    if (existing) {
      if (demo.approver) await grantApprover(existing.user.id);
      continue;
    }
    const { user } = await auth.api.createUser({ body: { email: demo.email, password: demo.password, name: demo.name, role: demo.role } });
    if (demo.approver) await grantApprover(user.id);
    created.push(demo);
  }
  return created;
}
/** Demo accounts exist in the embedded mode unless switched off, and on servers only when asked for. */
export function demoUsersEnabled(env: { TOWER_DEMO_USERS?: boolean; DATABASE_URL?: string }): boolean {
  return env.TOWER_DEMO_USERS ?? !env.DATABASE_URL;
}
