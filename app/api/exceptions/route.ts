import { exceptionListFilterSchema, listExceptionsJson } from '@/lib/exceptions/list-exceptions';
import { badRequest, failed, guard } from './exception-route-support';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const g = await guard(request, 'view');
  if ('response' in g) return g.response;
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const filter = exceptionListFilterSchema.safeParse(
    Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '')),
  );
  if (!filter.success)
    return badRequest(filter.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  try {
    const { itemsJson, counts } = await listExceptionsJson(g.db, filter.data);
    // The items arrive as JSON text from the store: sent as they are, not decoded and re-encoded.
    return new Response(`{"items":${itemsJson},"counts":${JSON.stringify(counts)}}`, {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  } catch (err) {
    return failed('exceptions', err);
  }
}
