import { BadCursorError, exceptionListFilterSchema, listExceptionPage } from '@/lib/exceptions/list-exceptions';
import { viewExtras } from '@/lib/exceptions/view-extras-slot';
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
    const { itemsJson, ...meta } = await listExceptionPage(g.db, filter.data, viewExtras(g.db));
    // The items arrive as JSON text from the store: sent as they are, not decoded and re-encoded.
    return new Response(`{"items":${itemsJson},${JSON.stringify(meta).slice(1)}`, {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  } catch (err) {
    if (err instanceof BadCursorError) return badRequest(err.message);
    return failed('exceptions', err);
  }
}
