import { z } from 'zod';
import { HandoverTargetError, reassignExceptions } from '@/lib/exceptions/reassign-exceptions';
import { announceChange, badRequest, failed, guard, readJson } from '../exception-route-support';

export const dynamic = 'force-dynamic';

const bodySchema = z.object({
  ids: z.array(z.string().min(1).max(128)).min(1).max(5_000),
  toUserId: z.string().min(1).max(128),
  /** The holder the requester saw; a claim that changed hands since is refused. */
  expectedAssigneeId: z.string().min(1).max(128).optional(),
  note: z.string().max(2_000).optional(),
});

/**
 * POST {ids, toUserId, expectedAssigneeId?, note?}: hands claimed items to another person who
 * works exceptions. Ops leads hand over their own claims; admins anyone's.
 */
export async function POST(request: Request): Promise<Response> {
  const g = await guard(request, 'act');
  if ('response' in g) return g.response;
  const body = bodySchema.safeParse(await readJson(request));
  if (!body.success)
    return badRequest(`Send {ids: [...], toUserId, expectedAssigneeId?, note?}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const { user } = g.session;
  try {
    const outcome = await reassignExceptions(g.db, body.data.ids, { id: user.id, name: user.name, isAdmin: user.role === 'admin' }, body.data);
    await announceChange(g.db, outcome.done, []);
    return Response.json({ reassigned: outcome.done, refused: outcome.refused });
  } catch (err) {
    if (err instanceof HandoverTargetError) return badRequest(err.message);
    return failed('exceptions/reassign', err);
  }
}
