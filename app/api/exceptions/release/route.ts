import { z } from 'zod';
import { handOverExceptions } from '@/lib/exceptions/exception-handover';
import { announceChange, badRequest, failed, guard, readJson } from '../exception-route-support';

export const dynamic = 'force-dynamic';

const bodySchema = z.object({ ids: z.array(z.string().min(1).max(128)).min(1).max(5_000), note: z.string().max(2_000).optional() });

/** POST {ids, note?}: gives one's own claims back to the queue, open and unassigned. */
export async function POST(request: Request): Promise<Response> {
  const g = await guard(request, 'act');
  if ('response' in g) return g.response;
  const body = bodySchema.safeParse(await readJson(request));
  if (!body.success) return badRequest(`Send {ids: [...], note?}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  const { user } = g.session;
  try {
    const outcome = await handOverExceptions(g.db, body.data.ids, { id: user.id, name: user.name, isAdmin: user.role === 'admin' }, { kind: 'release' }, body.data.note ?? null);
    await announceChange(g.db, outcome.done, []);
    return Response.json({ released: outcome.done, refused: outcome.refused });
  } catch (err) {
    return failed('exceptions/release', err);
  }
}
