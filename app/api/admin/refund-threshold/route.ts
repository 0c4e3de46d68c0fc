import { z } from 'zod';
import { setRefundApprovalThreshold } from '@/lib/actions/refund-approval-threshold';
import { getSession } from '@/lib/auth/session';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';

export const dynamic = 'force-dynamic';

const form = z.object({ threshold: z.coerce.number().finite().min(0).max(1_000_000) });

/** The admin page's form posts here; the answer sends the browser back to the page with the result. */
export async function POST(request: Request): Promise<Response> {
  const session = await getSession(request.headers);
  if (!session) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  if (session.user.role !== 'admin') return Response.json({ error: 'Only admins can change the refund approval threshold.' }, { status: 403 });
  const parsed = form.safeParse(Object.fromEntries(await request.formData()));
  const back = new URL('/admin/audit', request.url);
  if (!parsed.success) {
    back.searchParams.set('threshold_error', 'Enter an amount of 0 or more.');
  } else {
    await setRefundApprovalThreshold(transactionalStoreSlot.get().db, parsed.data.threshold, session.user.id);
    back.searchParams.set('threshold_saved', String(parsed.data.threshold));
  }
  return Response.redirect(back, 303);
}
