import type { ExceptionItem } from '@/lib/exceptions/exception-item';

/** The item's severity, and a "breached" mark once its SLA passed and raised it a step. */
export function SeverityBadge({ item }: { item: Pick<ExceptionItem, 'severity' | 'breachedAt' | 'escalatedFrom'> }) {
  return (
    <span className="severity-cell">
      <span className={`severity severity--${item.severity}`}>{item.severity}</span>
      {item.breachedAt && (
        <span
          className="breached"
          title={`SLA breached ${new Date(item.breachedAt).toLocaleString()}; raised from ${item.escalatedFrom ?? '?'}`}
          data-testid="breached-badge"
        >
          breached
        </span>
      )}
    </span>
  );
}
