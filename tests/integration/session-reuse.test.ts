import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSession } from '@/lib/auth/session';
import { openPgSchemaStore } from '../support/pg-schema';
import { startRouteHarness, type RouteHarness } from '../support/route-harness';

// Reads may reuse a session looked up in the last seconds; anything else looks it up afresh, and
// a fresh answer replaces or forgets what reads reuse.
let pgStore: Awaited<ReturnType<typeof openPgSchemaStore>>;
let h: RouteHarness;

beforeAll(async () => {
  pgStore = await openPgSchemaStore('session_reuse');
  h = await startRouteHarness(pgStore.store);
});
afterAll(async () => {
  await pgStore?.drop();
});

const headersOf = (cookie: string) => new Headers({ cookie, origin: 'http://tower.test' });

describe('session lookups', () => {
  it('a role change applies at once to fresh lookups, and to reads from the next fresh one', async () => {
    const analyst = headersOf(h.cookie.analyst);
    expect((await getSession(analyst, { forRead: true }))?.user.role).toBe('analyst');
    await h.auth.api.setRole({ body: { userId: h.userId.analyst, role: 'ops_lead' }, headers: headersOf(h.cookie.admin) });
    // Within the reuse window a read still sees the old role (no query); what changes state never does.
    expect((await getSession(analyst, { forRead: true }))?.user.role).toBe('analyst');
    expect((await getSession(analyst))?.user.role).toBe('ops_lead');
    expect((await getSession(analyst, { forRead: true }))?.user.role).toBe('ops_lead');
    await h.auth.api.setRole({ body: { userId: h.userId.analyst, role: 'analyst' }, headers: headersOf(h.cookie.admin) });
  });

  it('a signed-out session is refused, by reads too once a fresh lookup has seen it gone', async () => {
    const executive = headersOf(h.cookie.executive);
    expect((await getSession(executive, { forRead: true }))?.user.role).toBe('executive');
    await h.auth.api.signOut({ headers: executive });
    expect(await getSession(executive)).toBeNull();
    expect(await getSession(executive, { forRead: true })).toBeNull();
  });

  it('never takes one person’s session for another’s', async () => {
    const [lead, admin] = await Promise.all([
      getSession(headersOf(h.cookie.ops_lead), { forRead: true }),
      getSession(headersOf(h.cookie.admin), { forRead: true }),
    ]);
    expect(lead?.user.id).toBe(h.userId.ops_lead);
    expect(admin?.user.id).toBe(h.userId.admin);
    expect((await getSession(headersOf(h.cookie.ops_lead), { forRead: true }))?.user.id).toBe(h.userId.ops_lead);
    expect(await getSession(headersOf('better-auth.session_token=forged.value'), { forRead: true })).toBeNull();
  });
});
