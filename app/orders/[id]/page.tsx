import { analyticsSlot } from '@/analytics/clickhouse';
import { getOrderEvents } from '@/analytics/drill-through/order-events';
import { summariseOrder } from '@/analytics/drill-through/order-summary';
import { getDataFreshness } from '@/analytics/queries/data-freshness';
import { CoreOrderView } from '@/components/drill-through/CoreOrderView';
import { DrillThroughPage } from '@/components/drill-through/DrillThroughPage';
import { Panel } from '@/components/drill-through/Panel';
import { EntityExceptions } from '@/components/drill-through/EntityExceptions';
import { EntityLinks } from '@/components/drill-through/EntityLinks';
import { EventTimeline } from '@/components/drill-through/EventTimeline';
import { Facts } from '@/components/drill-through/Facts';
import { formatMoney, formatUtc } from '@/components/drill-through/format';
import { entityIdFrom, settle } from '@/components/drill-through/settle';
import { requireSession } from '@/lib/auth/require-session';
import { transactionalCoreSlot } from '@/lib/core/core-slot';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';
import { listExceptionsForEntity } from '@/lib/exceptions/exceptions-for-entity';
import '@/components/drill-through/drill-through.css';

export const dynamic = 'force-dynamic';

/** `/orders/[id]`: one order's story from its events, its state in the core, its exceptions and links. */
export default async function OrderPage({ params }: { params: Promise<{ id: string }> }) {
  const orderId = entityIdFrom((await params).id);
  const { user } = await requireSession(`/orders/${encodeURIComponent(orderId)}`);
  const a = analyticsSlot.get();
  const core = transactionalCoreSlot.peek();
  const renderedAt = new Date();
  const [events, freshness, exceptions, coreView] = await Promise.all([
    getOrderEvents(a, orderId),
    getDataFreshness(a),
    settle(
      listExceptionsForEntity(transactionalStoreSlot.get().db, { kind: 'order', id: orderId }),
      'The exceptions could not be read',
    ),
    settle(core ? core.describeOrder(orderId) : Promise.resolve(null), 'The core did not answer'),
  ]);
  const order = summariseOrder(orderId, events);

  if (events.length === 0 && !coreView.value && !exceptions.value?.length) {
    return (
      <DrillThroughPage
        user={user}
        kind="Order"
        id={orderId}
        missing="No stored event mentions this order id, the core does not know it, and no exception links to it."
      />
    );
  }

  return (
    <DrillThroughPage user={user} kind="Order" id={orderId} freshness={freshness} renderedAt={renderedAt}>
      <div className="dt-grid">
        <Panel title="What the events say">
          <Facts
            testId="order-facts"
            rows={[
              ['Placed', order.createdAt ? formatUtc(order.createdAt) : 'its order.created has not arrived yet'],
              ['Channel', order.channel],
              ['Region', order.region],
              ['Gross sales', order.createdAt ? formatMoney(order.grossSales, order.currency) : null],
              ['Promised ship by', formatUtc(order.promisedShipBy)],
              ['First shipped', formatUtc(order.firstShippedAt)],
              ['Delivered', formatUtc(order.deliveredAt)],
              ['Cancelled', formatUtc(order.cancelledAt)],
            ]}
          />
        </Panel>
        <Panel title="In the core now">
          <CoreOrderView view={coreView.value} error={coreView.error} connected={core !== undefined} />
        </Panel>
        <Panel title="Related">
          <EntityLinks label="SKUs" hrefBase="/skus" ids={order.skus} testId="order-sku-links" />
          <EntityLinks label="Returns" hrefBase="/returns" ids={order.returnIds} testId="order-return-links" />
          <h3 className="dt-help">Refunds</h3>
          <p>{order.refundIds.length ? order.refundIds.join(', ') : <span className="muted">none</span>}</p>
        </Panel>
      </div>
      <Panel title="Exceptions">
        <EntityExceptions items={exceptions.value} error={exceptions.error} />
      </Panel>
      <Panel
        title="Timeline"
        help="Every stored event of the order and of its returns and refunds, in the order things happened (UTC), with when each reached the tower."
      >
        <EventTimeline events={events} currency={order.currency} />
      </Panel>
    </DrillThroughPage>
  );
}
