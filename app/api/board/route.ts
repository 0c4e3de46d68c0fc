import { liveBoardsSlot } from '@/analytics/board/live-board';
import { boardViewSchema } from '@/analytics/kpis/board-view';
import { getSession } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

/** The snapshot of the view the query string names (the board page's own URL parameters). */
export async function GET(request: Request): Promise<Response> {
  if (!(await getSession(request.headers, { forRead: true }))) {
    return Response.json({ error: 'Sign in to see the board.' }, { status: 401 });
  }
  const view = boardViewSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!view.success) {
    return Response.json({ error: `This board view is not valid: ${view.error.issues[0]?.message ?? 'unknown reason'}.` }, { status: 400 });
  }
  const boards = liveBoardsSlot.peek();
  if (!boards) {
    return Response.json({ error: 'The live board is not running in this process. Start the product with npm start.' }, { status: 503 });
  }
  try {
    return Response.json(await boards.current(view.data), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    console.error('[api/board] snapshot failed:', err instanceof Error ? err.message : err);
    return Response.json(
      { error: 'The board could not be computed right now. It retries on the next flush; check the server log if this persists.' },
      { status: 503, headers: { 'retry-after': '5' } },
    );
  }
}
