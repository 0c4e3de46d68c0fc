import Link from 'next/link';
import { QUEUE_LABELS, type ExceptionItem } from '@/lib/exceptions/exception-item';
import { EXCEPTIONS_PER_ENTITY } from '@/lib/exceptions/exceptions-for-entity';
import { formatMoney, formatUtc } from './format';

/** The link that opens the queue with this item selected in its side panel. */
export function exceptionHref(item: Pick<ExceptionItem, 'id' | 'queue'>): string {
  return `/exceptions?${new URLSearchParams({ queue: item.queue, item: item.id })}`;
}

/** Open and resolved exceptions about the entity; acting on them stays on /exceptions. */
export function EntityExceptions({ items, error }: { items: ExceptionItem[] | null; error: string | null }) {
  if (error) return <p className="form-error">{error}</p>;
  if (!items || items.length === 0) return <p className="muted">No exception has been raised about it.</p>;
  return (
    <>
      <table className="dt-table" data-testid="entity-exceptions">
        <thead>
          <tr>
            <th>Queue</th>
            <th>What</th>
            <th>Severity</th>
            <th>Status</th>
            <th>Opened (UTC)</th>
            <th>At risk</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} data-testid="entity-exception">
              <td>{QUEUE_LABELS[item.queue]}</td>
              <td>
                <Link href={exceptionHref(item)}>{item.summary}</Link>
              </td>
              <td>
                <span className={`severity severity--${item.severity}`}>{item.severity}</span>
              </td>
              <td>
                {item.status}
                {item.resolvedAt && (
                  <div className="muted">
                    {item.resolution === 'auto' ? 'cleared by itself' : 'closed by a person'} {formatUtc(item.resolvedAt)}
                  </div>
                )}
                {item.assigneeName && item.status !== 'resolved' && <div className="muted">{item.assigneeName}</div>}
              </td>
              <td className="dt-nowrap">{formatUtc(item.openedAt)}</td>
              <td>{item.valueAtRisk > 0 ? formatMoney(item.valueAtRisk, item.currency) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length >= EXCEPTIONS_PER_ENTITY && <p className="muted">Only the newest {EXCEPTIONS_PER_ENTITY} are shown.</p>}
    </>
  );
}
