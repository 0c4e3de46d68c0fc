import { transactionalCoreSlot } from '@/lib/core/core-slot';
import { getSession } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** The entity as the connected core holds it now: the drill-through context beside an exception. */
export async function GET(request: Request, { params }: { params: Promise<{ kind: string; id: string }> }): Promise<Response> {
  if (!(await getSession(request.headers, { forRead: true }))) return Response.json({ error: 'Sign in to see this.' }, { status: 401 });
  const core = transactionalCoreSlot.peek();
  if (!core) return Response.json({ error: 'No transactional core is connected to this process.' }, { status: 503 });
  const { kind, id } = await params;
  const describe: Record<string, (id: string) => Promise<object | null>> = {
    order: (x) => core.describeOrder(x),
    refund: (x) => core.describeRefund(x),
    return: (x) => core.describeReturn(x),
  };
  if (!Object.hasOwn(describe, kind)) return Response.json({ error: `The core describes orders, refunds and returns, not "${kind}".` }, { status: 404 });
  const view = await describe[kind](id);
  if (!view) return Response.json({ error: `The core does not know ${kind} ${id} (it may have finished before the tower started).` }, { status: 404 });
  return Response.json({ kind, view }, { headers: { 'cache-control': 'no-store' } });
}
