import type { Kysely } from 'kysely';
import { liveBusSlot } from '@/lib/bus/live-bus';
import type { TowerSession } from '@/lib/auth/session';
import { getSession } from '@/lib/auth/session';
import type { Role } from '@/lib/auth/roles';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';
import type { ExceptionItem } from '@/lib/exceptions/exception-item';
import { countOpenByQueue } from '@/lib/exceptions/exception-queries';
import { forgetViewExtras } from '@/lib/exceptions/view-extras-slot';

/** Who may do what with exceptions: everyone signed in views; ops leads and admins act; admins set rules. */
const NEEDS: Record<'view' | 'act' | 'admin', readonly Role[]> = {
  view: ['executive', 'ops_lead', 'analyst', 'admin'],
  act: ['ops_lead', 'admin'],
  admin: ['admin'],
};

const WHAT: Record<'view' | 'act' | 'admin', string> = {
  view: 'see exceptions',
  act: 'work on exceptions (ops leads and admins)',
  admin: 'change admin settings (admins only)',
};

export type Guarded = { session: TowerSession; db: Kysely<object> } | { response: Response };

/** The session and the store for a route, or the response that explains why not. */
export async function guard(request: Request, need: 'view' | 'act' | 'admin'): Promise<Guarded> {
  const session = await getSession(request.headers, { forRead: need === 'view' });
  if (!session) return { response: Response.json({ error: `Sign in to ${WHAT[need]}.` }, { status: 401 }) };
  if (!NEEDS[need].includes(session.user.role)) {
    return { response: Response.json({ error: `Your role cannot ${WHAT[need]}.` }, { status: 403 }) };
  }
  const store = transactionalStoreSlot.peek();
  if (!store)
    return {
      response: Response.json(
        { error: 'The store is not running in this process. Start the product with npm start.' },
        { status: 503 },
      ),
    };
  return { session, db: store.db };
}

export function badRequest(message: string): Response {
  return Response.json({ error: message }, { status: 400 });
}

export function failed(route: string, err: unknown): Response {
  console.error(`[api/${route}]`, err instanceof Error ? err.message : err);
  return Response.json(
    { error: 'The exception store did not answer. Try again; if it persists, check the server log.' },
    { status: 503 },
  );
}

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

const CHANGE_CHUNK = 500;

/** Tells every open browser what a person just changed, as the engine does for what the rules change. */
export async function announceChange(
  db: Kysely<object>,
  upserted: ExceptionItem[],
  resolvedIds: string[],
): Promise<void> {
  if (upserted.length === 0 && resolvedIds.length === 0) return;
  forgetViewExtras();
  const bus = liveBusSlot.peek();
  if (!bus) return;
  try {
    const counts = await countOpenByQueue(db);
    // In parts, as the engine sends them: a bulk step over a whole queue is one change of thousands.
    for (let i = 0; i < Math.max(upserted.length, resolvedIds.length); i += CHANGE_CHUNK) {
      await bus.publish('exceptions', {
        at: new Date().toISOString(),
        upserted: upserted.slice(i, i + CHANGE_CHUNK),
        resolvedIds: resolvedIds.slice(i, i + CHANGE_CHUNK),
        counts,
      });
    }
  } catch (err) {
    console.error('[api/exceptions] change announcement failed:', err instanceof Error ? err.message : err);
  }
}
