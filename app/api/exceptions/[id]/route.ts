import { getExceptionDetail } from '@/lib/exceptions/exception-queries';
import { failed, guard } from '../exception-route-support';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const g = await guard(request, 'view');
  if ('response' in g) return g.response;
  const { id } = await params;
  try {
    const detail = await getExceptionDetail(g.db, id);
    if (!detail)
      return Response.json(
        { error: `No exception has the id ${id}; it may have been removed. Refresh the queue.` },
        { status: 404 },
      );
    return Response.json(detail, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return failed('exceptions/[id]', err);
  }
}
