import { toChDateTime } from '../ch-time';
import { chTime, z, type ExceptionRule } from './exception-rule';

const HOUR = 3_600_000;
/** Errors in the window from which a failing connector is a high-severity item. */
const MANY = 10;

const rowSchema = z.object({
  connector: z.string(),
  operation: z.string(),
  errors: z.number(),
  since: chTime,
  message: z.string(),
});

/**
 * A connector (and operation) that keeps failing: at least `minCount` errors in the last
 * `windowHours`, and no success since the latest one. It clears once the connector has worked
 * again after its last error, or once the window holds too few errors. Reads `connector_health`,
 * which keeps every failure and the first success after one.
 */
export const connectorErrors: ExceptionRule = {
  name: 'connector_errors',
  triggers: [],
  byOrder: false,
  timed: true,
  async evaluate(a, ctx) {
    const since = new Date(ctx.now.getTime() - (ctx.settings.thresholds.windowHours ?? 1) * HOUR);
    const rows = await a.query({
      name: 'exceptions.connector-errors',
      sql: `SELECT connector, operation,
       countIf(ok = 0 AND at >= {since:DateTime64(3, 'UTC')}) AS errors,
       minIf(at, ok = 0 AND at >= {since:DateTime64(3, 'UTC')}) AS since,
       argMaxIf(message, at, ok = 0) AS message
FROM connector_health
WHERE at <= {now:DateTime64(3, 'UTC')}
GROUP BY connector, operation
HAVING errors >= {min:UInt64} AND maxIf(at, ok = 0) > maxIf(at, ok = 1)`,
      params: {
        since: toChDateTime(since),
        now: toChDateTime(ctx.now),
        min: Math.max(1, Math.floor(ctx.settings.thresholds.minCount ?? 1)),
      },
      schema: rowSchema,
    });
    return rows.map((r) => ({
      queue: 'integration_failures' as const,
      rule: 'connector_errors',
      dedupeKey: `connector-errors:${r.connector}:${r.operation}`,
      severity: r.errors >= MANY ? ('high' as const) : ('medium' as const),
      summary: `${r.connector} ${r.operation} failing: ${r.errors} error${r.errors === 1 ? '' : 's'} and no success since; latest: ${r.message.slice(0, 160)}`,
      valueAtRisk: 0,
      currency: 'USD',
      entities: [{ kind: 'connector' as const, id: `${r.connector}/${r.operation}` }],
      warehouse: null,
      channel: null,
      beganAt: r.since,
    }));
  },
};
