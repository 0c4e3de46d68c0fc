import { expect } from 'vitest';
import { z } from 'zod';
import { migrateActions } from '@/lib/actions/action-tables';
import { setApproverRight } from '@/lib/actions/approver-rights';
import { authSlot, createAuth, migrateAuth, type TowerAuth } from '@/lib/auth/auth';
import { DEMO_USERS, ensureDemoUsers } from '@/lib/auth/demo-users';
import { createInProcessBus } from '@/lib/bus/in-process-bus';
import { liveBusSlot, type LiveBus } from '@/lib/bus/live-bus';
import type { TransactionalStore } from '@/lib/db/transactional-store';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';
import { migrateExceptionWorkflow } from '@/lib/exceptions/workflow-schema';

/**
 * The product's route handlers, called in-process as Next.js calls them: the same runtime slots
 * server.ts fills (store, auth, bus), real Better Auth sessions for each demo account, and
 * requests with the session cookie a browser would send.
 */
export const BASE_URL = 'http://tower.test';

/** The demo accounts by what sets them apart: the four roles, and the ops lead holding the approver right. */
export type Who = 'executive' | 'ops_lead' | 'analyst' | 'admin' | 'approver';
export const EVERYONE: readonly Who[] = ['executive', 'ops_lead', 'analyst', 'admin', 'approver'];

export interface RouteHarness {
  auth: TowerAuth;
  bus: LiveBus;
  /** The cookie header of a signed-in session per demo account. */
  cookie: Record<Who, string>;
  userId: Record<Who, string>;
  request(method: string, path: string, who: Who | null, body?: { json: unknown } | { form: Record<string, string> }): Request;
}

const signedIn = z.object({ user: z.object({ id: z.string() }) });
const emailOf = (who: Who) => (who === 'approver' ? 'approver@demo.tower' : `${who}@demo.tower`);

export async function startRouteHarness(store: TransactionalStore): Promise<RouteHarness> {
  await migrateActions(store.db);
  await migrateExceptionWorkflow(store.db);
  const options = { db: store.db, secret: 'route-harness-secret-0123456789abcdef', baseURL: BASE_URL, trustedOrigins: [BASE_URL] };
  await migrateAuth(options);
  const auth = createAuth(options);
  await ensureDemoUsers(auth, (userId) => setApproverRight(store.db, { userId, granted: true, by: null }));
  const bus = createInProcessBus();
  transactionalStoreSlot.set(store);
  authSlot.set(auth);
  liveBusSlot.set(bus);

  const cookie: Record<Who, string> = { executive: '', ops_lead: '', analyst: '', admin: '', approver: '' };
  const userId: Record<Who, string> = { ...cookie };
  for (const who of EVERYONE) {
    const demo = DEMO_USERS.find((d) => d.email === emailOf(who));
    if (!demo) throw new Error(`no demo account for ${who}`);
    const res = await auth.api.signInEmail({ body: { email: demo.email, password: demo.password }, asResponse: true });
    expect(res.status, `${who} signs in`).toBe(200);
    cookie[who] = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    userId[who] = signedIn.parse(await res.json()).user.id;
  }

  return {
    auth,
    bus,
    cookie,
    userId,
    request(method, path, who, body) {
      const headers = new Headers({ origin: BASE_URL });
      if (who) headers.set('cookie', cookie[who]);
      let payload: string | URLSearchParams | undefined;
      if (body && 'json' in body) {
        headers.set('content-type', 'application/json');
        payload = JSON.stringify(body.json);
      } else if (body) payload = new URLSearchParams(body.form);
      return new Request(`${BASE_URL}${path}`, { method, headers, body: payload });
    },
  };
}
