import type { ConnectorHealth } from '@/lib/connectors/connector-health';
import { toChDateTime } from '../ch-time';
import type { Analytics } from '../clickhouse';

const MAX_MESSAGE = 500;

/**
 * Connector health kept in ClickHouse (`connector_health`). Every failure is a row; a success is a
 * row only when the last outcome this process saw for that call was not a success (or it has seen
 * none yet), which is all the connector-errors rule needs to tell that a connector recovered.
 */
export function connectorHealthLog(analytics: Analytics, now: () => Date = () => new Date()): ConnectorHealth {
  const healthy = new Set<string>();
  const note = async (connector: string, operation: string, ok: boolean, message: string) => {
    const key = `${connector}\u0000${operation}`;
    if (ok && healthy.has(key)) return;
    if (ok) healthy.add(key);
    else healthy.delete(key);
    try {
      await analytics.insert({
        name: 'connectors.health',
        table: 'connector_health',
        rows: [
          { at: toChDateTime(now()), connector, operation, ok: ok ? 1 : 0, message: message.slice(0, MAX_MESSAGE) },
        ],
      });
    } catch (err) {
      // Not noted: let the next success try again rather than believe it was recorded.
      if (ok) healthy.delete(key);
      console.error(`[connectors] could not note ${connector} ${operation}:`, err instanceof Error ? err.message : err);
    }
  };
  return {
    failed: (connector, operation, error) =>
      note(connector, operation, false, error instanceof Error ? error.message : String(error)),
    succeeded: (connector, operation) => note(connector, operation, true, ''),
  };
}
