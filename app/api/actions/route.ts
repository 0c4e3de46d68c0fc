import { actionRequestSchema } from '@/lib/actions/action-requests';
import { ActionError } from '@/lib/actions/action-errors';
import { actionServiceFor } from '@/lib/actions/action-service-for';
import { hasApproverRight } from '@/lib/actions/approver-rights';
import { getSession } from '@/lib/auth/session';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const session = await getSession(request.headers);
  if (!session) return Response.json({ error: 'Sign in to act.' }, { status: 401 });
  const body = await request.json().catch(() => undefined);
  const parsed = actionRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Response.json({ error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid request'}` }, { status: 400 });
  }
  const { db } = transactionalStoreSlot.get();
  const { user } = session;
  try {
    const actor = { userId: user.id, name: user.name, role: user.role, canApproveRefunds: await hasApproverRight(db, user.id) };
    const outcome = await actionServiceFor(db).performAction({ actor, request: parsed.data });
    return Response.json(outcome);
  } catch (err) {
    if (err instanceof ActionError) return Response.json({ error: err.message, code: err.code }, { status: err.status });
    console.error('[api/actions] failed:', err instanceof Error ? err.message : err);
    return Response.json({ error: 'The action failed inside the tower; it may not have reached the core. Check the audit log and the server log before retrying.' }, { status: 500 });
  }
}
