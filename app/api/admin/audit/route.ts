import { auditFilterSchema, listAudit } from '@/lib/actions/audit-log';
import { getSession } from '@/lib/auth/session';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';

export const dynamic = 'force-dynamic';

/** GET /api/admin/audit?actor=&action=&entity=&page=&pageSize= — newest first, admins only. */
export async function GET(request: Request): Promise<Response> {
  const session = await getSession(request.headers);
  if (!session) return Response.json({ error: 'Sign in to see the audit log.' }, { status: 401 });
  if (session.user.role !== 'admin') return Response.json({ error: 'Only admins can browse the audit log.' }, { status: 403 });
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ''));
  const filter = auditFilterSchema.safeParse(params);
  if (!filter.success) return Response.json({ error: `${filter.error.issues[0]?.path.join('.')}: ${filter.error.issues[0]?.message}` }, { status: 400 });
  return Response.json(await listAudit(transactionalStoreSlot.get().db, filter.data), { headers: { 'cache-control': 'no-store' } });
}
