import { listPeople } from '@/lib/auth/people';
import { canActOnExceptions } from '@/lib/auth/roles';
import { failed, guard } from '../exception-route-support';

export const dynamic = 'force-dynamic';

/** GET: the people a claimed item can be handed to (ops leads and admins who are not banned). */
export async function GET(request: Request): Promise<Response> {
  const g = await guard(request, 'act');
  if ('response' in g) return g.response;
  try {
    const people = (await listPeople(g.db)).filter((p) => !p.banned && canActOnExceptions(p.role));
    return Response.json({ people: people.map(({ id, name, role }) => ({ id, name, role })) }, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return failed('exceptions/assignees', err);
  }
}
