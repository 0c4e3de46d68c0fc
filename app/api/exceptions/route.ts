import { exceptionListFilterSchema, listExceptions } from '@/lib/exceptions/list-exceptions';
import { badRequest, failed, guard } from './exception-route-support';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const g = await guard(request, 'view');
  if ('response' in g) return g.response;
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const filter = exceptionListFilterSchema.safeParse(Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '')));
  if (!filter.success) return badRequest(filter.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  try {
    return Response.json(await listExceptions(g.db, filter.data), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return failed('exceptions', err);
  }
}
