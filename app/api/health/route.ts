import { analyticsSlot } from '@/analytics/clickhouse';
import { getHealthCounts } from '@/analytics/queries/health-counts';

export const dynamic = 'force-dynamic';

/** Public on purpose: load balancers and uptime checks call it without a session. */
export async function GET(): Promise<Response> {
  const analytics = analyticsSlot.peek();
  if (!analytics) {
    return Response.json({ error: 'Analytics is not running in this process. Start the product with npm start.' }, { status: 503 });
  }
  try {
    const counts = await getHealthCounts(analytics);
    return Response.json(
      { engine: analytics.engine, events: counts.events, last_flush_at: counts.lastFlushAt, dead_letters: counts.deadLetters },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (err) {
    console.error('[api/health] analytics check failed:', err instanceof Error ? err.message : err);
    return Response.json(
      { engine: analytics.engine, error: 'Analytics did not answer. Check the server log for the ClickHouse error.' },
      { status: 503 },
    );
  }
}
