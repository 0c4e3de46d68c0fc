import { z } from 'zod';
import { changeRefundThreshold } from '@/lib/actions/people-rights';
import { getSession } from '@/lib/auth/session';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';

export const dynamic = 'force-dynamic';

const form = z.object({
  threshold: z.coerce.number().finite().min(0).max(1_000_000),
  // The admin pages that carry the form; anything else goes back to the audit page.
  returnTo: z.enum(['/admin/audit', '/admin/people']).catch('/admin/audit'),
});

/** The admin pages' form posts here; the answer sends the browser back to the page with the result. */
export async function POST(request: Request): Promise<Response> {
  const session = await getSession(request.headers);
  if (!session) return Response.json({ error: 'Sign in first.' }, { status: 401 });
  if (session.user.role !== 'admin') return Response.json({ error: 'Only admins can change the refund approval threshold.' }, { status: 403 });
  const fields = Object.fromEntries(await request.formData().catch(() => new FormData()));
  const parsed = form.safeParse(fields);
  const back = new URL(form.shape.returnTo.parse(fields.returnTo), request.url);
  if (!parsed.success) {
    back.searchParams.set('threshold_error', 'Enter an amount between 0 and 1,000,000.');
  } else {
    const { user } = session;
    await changeRefundThreshold(transactionalStoreSlot.get().db, { userId: user.id, name: user.name, role: user.role }, parsed.data.threshold);
    back.searchParams.set('threshold_saved', String(parsed.data.threshold));
  }
  return Response.redirect(back, 303);
}
