'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { actionsForException } from '@/lib/actions/actions-for-exception';
import { formatKpiValue } from '@/lib/charts/kpi-value-format';
import { QUEUE_LABELS, type ExceptionItem } from '@/lib/exceptions/exception-item';
import { formatDuration, slaLeftMs } from '@/lib/exceptions/exception-timing';
import { ActionForm } from './ActionForm';
import { CoreContext } from './CoreContext';
import { SeverityBadge } from './SeverityBadge';
import { addComment, fetchCoreView, fetchExceptionDetail, returnLinesOf } from './exceptions-api';
import { WorkflowButtons, type Viewer } from './WorkflowButtons';

/** The side panel: what the item is about, its thread and history, and the actions that fit it. */
export function ExceptionPanel({ item, gone, canAct, viewer, now, onClose }: { item: ExceptionItem; gone: boolean; canAct: boolean; viewer: Viewer; now: number; onClose: () => void }) {
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: ['exception', item.id, item.updatedAt],
    queryFn: () => fetchExceptionDetail(item.id),
  });
  const coreEntity = item.entities.find((e): e is { kind: 'order' | 'refund' | 'return'; id: string } => ['order', 'refund', 'return'].includes(e.kind));
  const core = useQuery({
    queryKey: ['core', coreEntity?.kind, coreEntity?.id, item.updatedAt],
    queryFn: () => (coreEntity ? fetchCoreView(coreEntity.kind, coreEntity.id) : Promise.resolve(null)),
    enabled: Boolean(coreEntity),
  });
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | null>(null);
  const offers = actionsForException(item);
  const slaLeft = slaLeftMs(item, now);

  return (
    <aside className="xpanel" aria-label="Exception details" data-testid="exception-panel">
      <header className="xpanel__head">
        <SeverityBadge item={item} />
        <button type="button" className="button button--quiet" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </header>
      <h2 className="xpanel__title">{item.summary}</h2>
      {gone && (
        <p className="banner banner--ok" role="status" data-testid="exception-gone">
          Resolved — it has left the queue.
        </p>
      )}
      <dl className="xpanel__facts">
        <dt>Queue</dt>
        <dd>{QUEUE_LABELS[item.queue]}</dd>
        <dt>Status</dt>
        <dd data-testid="exception-status">
          {item.status}
          {item.assigneeName ? ` · ${item.assigneeName}` : ''}
          {item.snoozedUntil && item.status === 'snoozed' ? ` until ${new Date(item.snoozedUntil).toLocaleString()}` : ''}
        </dd>
        <dt>SLA</dt>
        <dd className={slaLeft < 0 ? 'sla sla--breached' : 'sla'}>
          {slaLeft < 0 ? `breached ${formatDuration(-slaLeft)} ago` : `${formatDuration(slaLeft)} left`}
          {item.escalatedFrom ? ` · escalated from ${item.escalatedFrom}` : ''}
        </dd>
        <dt>Value at risk</dt>
        <dd>{formatKpiValue(item.valueAtRisk, 'money')} {item.currency !== 'USD' ? item.currency : ''}</dd>
        <dt>About</dt>
        <dd>
          {item.entities.map((e) => (
            <span key={`${e.kind}:${e.id}`} className="entity-ref">
              {e.kind} <code>{e.id}</code>
            </span>
          ))}
        </dd>
        {item.warehouse && (
          <>
            <dt>Warehouse</dt>
            <dd>{item.warehouse}</dd>
          </>
        )}
        {item.channel && (
          <>
            <dt>Channel</dt>
            <dd>{item.channel}</dd>
          </>
        )}
      </dl>

      {canAct && !gone && <WorkflowButtons items={[item]} viewer={viewer} />}

      {coreEntity && (
        <section className="xpanel__section" aria-label="In the core">
          <h3>
            In the core: {coreEntity.kind} <code>{coreEntity.id}</code>
          </h3>
          <CoreContext view={core.data} loading={core.isPending} error={core.error} />
        </section>
      )}

      {canAct && offers.length > 0 && (
        <section className="xpanel__section" aria-label="Actions">
          <h3>Act in the core</h3>
          {offers.map((offer) => (
            <ActionForm key={`${offer.action}:${JSON.stringify(offer.known)}`} offer={offer} exceptionId={item.id} returnLines={returnLinesOf(core.data)} />
          ))}
        </section>
      )}
      {!canAct && <p className="muted">Your role can follow this item; ops leads and admins act on it.</p>}

      <section className="xpanel__section" aria-label="Comments">
        <h3>Comments</h3>
        {detail.error && <p className="form-error">{detail.error.message}</p>}
        {detail.data?.comments.length === 0 && <p className="muted">No comments yet.</p>}
        <ul className="xpanel__thread">
          {detail.data?.comments.map((c) => (
            <li key={c.id}>
              <strong>{c.authorName}</strong> <span className="muted">{new Date(c.createdAt).toLocaleString()}</span>
              <p>{c.body}</p>
            </li>
          ))}
        </ul>
        <form
          className="xpanel__comment"
          onSubmit={(e) => {
            e.preventDefault();
            setCommentError(null);
            addComment(item.id, comment)
              .then(() => {
                setComment('');
                return queryClient.invalidateQueries({ queryKey: ['exception', item.id] });
              })
              .catch((err: unknown) => setCommentError(err instanceof Error ? err.message : String(err)));
          }}
        >
          <input aria-label="Add a comment" value={comment} onChange={(e) => setComment(e.target.value)} placeholder="Add a comment" />
          <button type="submit" className="button button--quiet" disabled={!comment.trim()}>
            Post
          </button>
        </form>
        {commentError && <p className="form-error">{commentError}</p>}
      </section>

      <section className="xpanel__section" aria-label="History">
        <h3>History</h3>
        <ol className="xpanel__history">
          {detail.data?.history.map((h) => (
            <li key={h.id}>
              <span className="muted">{new Date(h.at).toLocaleString()}</span> {h.fromStatus ? `${h.fromStatus} → ` : ''}
              {h.toStatus}
              {h.actorName ? ` by ${h.actorName}` : ''}
              {h.note ? ` — ${h.note}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </aside>
  );
}
