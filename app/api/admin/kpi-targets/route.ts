import { z } from 'zod';
import { kpiTargetSchema } from '@/analytics/board/board-snapshot';
import { changeKpiTarget, InvalidTargetError, listTargetsInForce, UnknownKpiError } from '@/analytics/kpis/kpi-targets';
import { getSession, type TowerSession } from '@/lib/auth/session';
import { liveBusSlot } from '@/lib/bus/live-bus';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';

export const dynamic = 'force-dynamic';

/** A target, or null to go back to the catalogue's default. */
const changeSchema = z.object({ kpiKey: z.string().min(1).max(64), target: kpiTargetSchema.nullable() });

async function admin(request: Request): Promise<TowerSession | Response> {
  const session = await getSession(request.headers);
  if (!session) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  if (session.user.role !== 'admin') return Response.json({ error: 'Only admins can see and change KPI targets.' }, { status: 403 });
  return session;
}

export async function GET(request: Request): Promise<Response> {
  const session = await admin(request);
  if (session instanceof Response) return session;
  return Response.json({ targets: await listTargetsInForce(transactionalStoreSlot.get().db) });
}

export async function PUT(request: Request): Promise<Response> {
  const session = await admin(request);
  if (session instanceof Response) return session;
  const parsed = changeSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Response.json({ error: `Not a valid target: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'send JSON'}.` }, { status: 400 });
  }
  try {
    const target = await changeKpiTarget(
      { db: transactionalStoreSlot.get().db, bus: liveBusSlot.peek() },
      { kpiKey: parsed.data.kpiKey, target: parsed.data.target, admin: { userId: session.user.id, name: session.user.name, role: session.user.role } },
    );
    return Response.json({ target });
  } catch (err) {
    if (err instanceof UnknownKpiError) return Response.json({ error: err.message }, { status: 404 });
    if (err instanceof InvalidTargetError) return Response.json({ error: err.message }, { status: 400 });
    throw err;
  }
}
