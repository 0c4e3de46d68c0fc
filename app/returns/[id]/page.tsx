import Link from 'next/link';
import { analyticsSlot } from '@/analytics/clickhouse';
import { getReturnEvents } from '@/analytics/drill-through/order-events';
import { summariseOrder } from '@/analytics/drill-through/order-summary';
import { summariseReturn } from '@/analytics/drill-through/return-summary';
import { getDataFreshness } from '@/analytics/queries/data-freshness';
import { getEventsByReference } from '@/analytics/queries/drill-through/events-by-reference';
import { CoreReturnView } from '@/components/drill-through/CoreReturnView';
import { DrillThroughPage } from '@/components/drill-through/DrillThroughPage';
import { Panel } from '@/components/drill-through/Panel';
import { EntityExceptions } from '@/components/drill-through/EntityExceptions';
import { EventTimeline } from '@/components/drill-through/EventTimeline';
import { Facts } from '@/components/drill-through/Facts';
import { formatMoney } from '@/components/drill-through/format';
import { RefundList } from '@/components/drill-through/RefundList';
import { ReturnLines } from '@/components/drill-through/ReturnLines';
import { entityIdFrom, settle } from '@/components/drill-through/settle';
import { requireSession } from '@/lib/auth/require-session';
import { transactionalCoreSlot } from '@/lib/core/core-slot';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';
import { listExceptionsForEntity } from '@/lib/exceptions/exceptions-for-entity';
import '@/components/drill-through/drill-through.css';

export const dynamic = 'force-dynamic';

/** `/returns/[id]`: the return's timeline, lines, refunds, its order and the core's view of it. */
export default async function ReturnPage({ params }: { params: Promise<{ id: string }> }) {
  const returnId = entityIdFrom((await params).id);
  const { user } = await requireSession(`/returns/${encodeURIComponent(returnId)}`);
  const a = analyticsSlot.get();
  const core = transactionalCoreSlot.peek();
  const renderedAt = new Date();
  const [events, freshness, exceptions, coreView] = await Promise.all([
    getReturnEvents(a, returnId),
    getDataFreshness(a),
    settle(
      listExceptionsForEntity(transactionalStoreSlot.get().db, { kind: 'return', id: returnId }),
      'The exceptions could not be read',
    ),
    settle(core ? core.describeReturn(returnId) : Promise.resolve(null), 'The core did not answer'),
  ]);
  const rma = summariseReturn(returnId, events);
  const orderId = rma.orderId ?? coreView.value?.orderId ?? null;
  const refundId = coreView.value?.refundId ?? null;
  const [orderEvents, coreRefund] = await Promise.all([
    orderId ? getEventsByReference(a, 'order_id', [orderId]) : Promise.resolve([]),
    settle(
      core && refundId ? core.describeRefund(refundId) : Promise.resolve(null),
      'The core did not answer about the refund',
    ),
  ]);
  const order = summariseOrder(orderId ?? '', orderEvents);
  const unitPrice = (sku: string) => order.lines.find((l) => l.sku === sku)?.unitPrice ?? null;

  if (events.length === 0 && !coreView.value && !exceptions.value?.length) {
    return (
      <DrillThroughPage
        user={user}
        kind="Return"
        id={returnId}
        missing="No stored event mentions this return id, the core does not know it, and no exception links to it."
      />
    );
  }

  const issued = rma.refunds.reduce((s, r) => s + r.issuedAmount, 0);
  return (
    <DrillThroughPage user={user} kind="Return" id={returnId} freshness={freshness} renderedAt={renderedAt}>
      <div className="dt-grid">
        <Panel title="What the events say">
          <Facts
            testId="return-facts"
            rows={[
              [
                'Order',
                orderId ? (
                  <Link href={`/orders/${encodeURIComponent(orderId)}`} data-testid="return-order-link">
                    {orderId}
                  </Link>
                ) : null,
              ],
              ['Status', rma.status],
              ['Received at', rma.warehouse],
              [
                'Recovery value',
                rma.lines.some((l) => l.recoveryValue !== null)
                  ? formatMoney(rma.recoveryValue, order.currency)
                  : 'not inspected yet',
              ],
              ['Refunded', rma.refunds.length ? formatMoney(issued, order.currency) : null],
            ]}
          />
        </Panel>
        <Panel title="In the core now">
          <CoreReturnView
            view={coreView.value}
            refund={coreRefund.value}
            currency={order.currency}
            error={coreView.error ?? coreRefund.error}
            connected={core !== undefined}
          />
        </Panel>
      </div>
      <Panel
        title="Lines"
        help={`Sold for: the order line’s unit price × units requested back, in the order’s currency (${order.currency}). Recovery value: what inspection says the units are still worth.`}
      >
        <ReturnLines lines={rma.lines} unitPrice={unitPrice} currency={order.currency} />
      </Panel>
      <Panel title="Refunds">
        <RefundList refunds={rma.refunds} currency={order.currency} />
      </Panel>
      <Panel title="Exceptions">
        <EntityExceptions items={exceptions.value} error={exceptions.error} />
      </Panel>
      <Panel
        title="Timeline"
        help="Every stored event of the return and of its refunds, in the order things happened (UTC)."
      >
        <EventTimeline events={events} currency={order.currency} />
      </Panel>
    </DrillThroughPage>
  );
}
