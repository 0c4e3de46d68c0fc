import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { admin } from 'better-auth/plugins';
import type { Kysely } from 'kysely';
import { runtimeSlot } from '../runtime-slot';
import { accessControl, roleGrants } from './roles';

export interface AuthOptions {
  db: Kysely<object>;
  secret: string;
  baseURL: string;
  /** Origins allowed to post credentials besides baseURL (e.g. http://127.0.0.1:PORT). */
  trustedOrigins: string[];
}

function authConfig(o: AuthOptions) {
  return {
    appName: 'Control Tower',
    secret: o.secret,
    baseURL: o.baseURL,
    trustedOrigins: o.trustedOrigins,
    database: { db: o.db, type: 'postgres' as const },
    // Accounts are created by admins (and the demo seeding), never by self sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    telemetry: { enabled: false },
    plugins: [admin({ ac: accessControl, roles: roleGrants, defaultRole: 'executive', adminRoles: ['admin'] })],
  } satisfies BetterAuthOptions;
}

export function createAuth(o: AuthOptions) {
  return betterAuth(authConfig(o));
}

export type TowerAuth = ReturnType<typeof createAuth>;

/** Creates or updates Better Auth's tables in the transactional store. */
export async function migrateAuth(o: AuthOptions): Promise<void> {
  const { runMigrations } = await getMigrations(authConfig(o));
  await runMigrations();
}

export const authSlot = runtimeSlot<TowerAuth>('auth');
