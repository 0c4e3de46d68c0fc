import { z } from 'zod';
import { ActionError } from '@/lib/actions/action-errors';
import { changeApproverRight } from '@/lib/actions/people-rights';
import { badRequest, failed, guard, readJson } from '../../exceptions/exception-route-support';

export const dynamic = 'force-dynamic';

const bodySchema = z.object({ userId: z.string().min(1).max(128), approver: z.boolean() });

/** PUT {userId, approver}: grants or withdraws the approver right (admins only); answers the person as now. */
export async function PUT(request: Request): Promise<Response> {
  const g = await guard(request, 'admin');
  if ('response' in g) return g.response;
  const body = bodySchema.safeParse(await readJson(request));
  if (!body.success) return badRequest(`Send {userId, approver: true|false}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const { user } = g.session;
  try {
    const person = await changeApproverRight(g.db, { userId: user.id, name: user.name, role: user.role }, body.data);
    return Response.json({ person });
  } catch (err) {
    if (err instanceof ActionError) return Response.json({ error: err.message }, { status: err.status });
    return failed('admin/approvers', err);
  }
}
