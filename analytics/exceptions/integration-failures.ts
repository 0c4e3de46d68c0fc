import { toChDateTime } from '../ch-time';
import { chTime, z, type ExceptionRule } from './exception-rule';

const HOUR = 3_600_000;

const rowSchema = z.object({
  source: z.string(),
  event_type: z.string(),
  letters: z.number(),
  since: chTime,
  reason: z.string(),
});

/**
 * Dead letters in the last `windowHours`, one item per source and event type; it clears once the
 * window holds fewer than `minCount`. Reads `dead_letters` directly: it is ordered by receipt
 * time, so the window is a bounded range. Connector errors are the queue's other rule.
 */
export const deadLetters: ExceptionRule = {
  name: 'dead_letters',
  triggers: [],
  byOrder: false,
  timed: true,
  async evaluate(a, ctx) {
    const since = new Date(ctx.now.getTime() - (ctx.settings.thresholds.windowHours ?? 24) * HOUR);
    const rows = await a.query({
      name: 'exceptions.dead-letters',
      sql: `SELECT source, event_type, count() AS letters, min(received_at) AS since, argMax(reason, received_at) AS reason
FROM dead_letters
WHERE received_at >= {since:DateTime64(3, 'UTC')} AND received_at <= {now:DateTime64(3, 'UTC')}
GROUP BY source, event_type
HAVING letters >= {min:UInt64}`,
      params: {
        since: toChDateTime(since),
        now: toChDateTime(ctx.now),
        min: Math.max(1, Math.floor(ctx.settings.thresholds.minCount ?? 1)),
      },
      schema: rowSchema,
    });
    return rows.map((r) => ({
      queue: 'integration_failures' as const,
      rule: 'dead_letters',
      dedupeKey: `dead-letters:${r.source}:${r.event_type}`,
      severity: r.letters >= 100 ? ('high' as const) : ('medium' as const),
      summary: `${r.letters} dead letter${r.letters === 1 ? '' : 's'} from ${r.source}${r.event_type ? ` (${r.event_type})` : ''}; latest: ${r.reason.slice(0, 160)}`,
      valueAtRisk: 0,
      currency: 'USD',
      entities: [{ kind: 'dead_letter' as const, id: `${r.source}/${r.event_type}` }],
      warehouse: null,
      channel: null,
      beganAt: r.since,
    }));
  },
};
