import { liveBoardSlot } from '@/analytics/board/live-board';
import { getSession } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  if (!(await getSession(request.headers))) {
    return Response.json({ error: 'Sign in to see the board.' }, { status: 401 });
  }
  const board = liveBoardSlot.peek();
  if (!board) {
    return Response.json({ error: 'The live board is not running in this process. Start the product with npm start.' }, { status: 503 });
  }
  try {
    return Response.json(await board.current(), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    console.error('[api/board] snapshot failed:', err instanceof Error ? err.message : err);
    return Response.json(
      { error: 'The board could not be computed right now. It retries on the next flush; check the server log if this persists.' },
      { status: 503, headers: { 'retry-after': '5' } },
    );
  }
}
