import { analyticsSlot } from '@/analytics/clickhouse';
import { getDataFreshness } from '@/analytics/queries/data-freshness';
import { getSkuDailyFlows } from '@/analytics/queries/drill-through/sku-daily-flows';
import { getSkuMargin } from '@/analytics/queries/drill-through/sku-margin';
import { getSkuMovementSinceSnapshot } from '@/analytics/queries/drill-through/sku-movement-since-snapshot';
import { getSkuRecentReturns } from '@/analytics/queries/drill-through/sku-recent-returns';
import { getSkuReturnsByReason } from '@/analytics/queries/drill-through/sku-returns-by-reason';
import { getSkuStockSnapshots } from '@/analytics/queries/drill-through/sku-stock-snapshots';
import { DailyFlowsTable } from '@/components/drill-through/DailyFlowsTable';
import { dayRangeFrom } from '@/components/drill-through/day-range';
import { DrillThroughPage } from '@/components/drill-through/DrillThroughPage';
import { Panel } from '@/components/drill-through/Panel';
import { EntityExceptions } from '@/components/drill-through/EntityExceptions';
import { SKU_MARGIN_HELP, SkuMarginTable } from '@/components/drill-through/SkuMarginTable';
import { SkuReturns } from '@/components/drill-through/SkuReturns';
import { entityIdFrom, settle } from '@/components/drill-through/settle';
import { StockByWarehouse } from '@/components/drill-through/StockByWarehouse';
import { requireSession } from '@/lib/auth/require-session';
import { transactionalStoreSlot } from '@/lib/db/transactional-store';
import { listExceptionsForEntity } from '@/lib/exceptions/exceptions-for-entity';
import '@/components/drill-through/drill-through.css';

export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

/** `/skus/[sku]?from=&to=&warehouse=`: stock by warehouse and status, flows, returns by reason, margin. */
export default async function SkuPage({
  params,
  searchParams,
}: {
  params: Promise<{ sku: string }>;
  searchParams: Promise<Search>;
}) {
  const sku = entityIdFrom((await params).sku);
  const search = await searchParams;
  const { user } = await requireSession(`/skus/${encodeURIComponent(sku)}`);
  const a = analyticsSlot.get();
  const renderedAt = new Date();
  const range = dayRangeFrom({ from: first(search.from), to: first(search.to) }, renderedAt);
  const warehouse = first(search.warehouse)?.slice(0, 64) ?? '';
  const q = { sku, from: range.from, to: range.to };
  const [snapshots, movements, flows, reasons, recent, margin, freshness, exceptions] = await Promise.all([
    getSkuStockSnapshots(a, sku),
    getSkuMovementSinceSnapshot(a, sku),
    getSkuDailyFlows(a, { ...q, warehouse }),
    getSkuReturnsByReason(a, q),
    getSkuRecentReturns(a, { ...q, limit: 20 }),
    getSkuMargin(a, q),
    getDataFreshness(a),
    settle(
      listExceptionsForEntity(transactionalStoreSlot.get().db, { kind: 'sku', id: sku }),
      'The exceptions could not be read',
    ),
  ]);

  const known =
    snapshots.length +
      movements.length +
      flows.length +
      reasons.length +
      margin.length +
      (exceptions.value?.length ?? 0) >
    0;
  if (!known) {
    return (
      <DrillThroughPage
        user={user}
        kind="SKU"
        id={sku}
        missing={`No stock count, movement, order, return or exception mentions this SKU (orders, flows and returns were looked up from ${range.fromDay} to ${range.toDay}).`}
      />
    );
  }

  const warehouses = [
    ...new Set([
      ...snapshots.map((s) => s.warehouse),
      ...movements.map((m) => m.warehouse),
      ...(warehouse ? [warehouse] : []),
    ]),
  ]
    .filter(Boolean)
    .sort();
  return (
    <DrillThroughPage user={user} kind="SKU" id={sku} freshness={freshness} renderedAt={renderedAt}>
      <Panel
        title="Stock by warehouse and status"
        help="The core’s latest count (stock.snapshot) per warehouse, then what the events moved since: received, shipped, adjusted, transferred and restocked after inspection. Available = on hand − reserved. The estimate is the count plus those movements."
      >
        <StockByWarehouse snapshots={snapshots} movements={movements} />
      </Panel>
      <form method="get" className="panel dt-range" data-testid="range-form">
        <label className="field">
          From (UTC day)
          <input type="date" name="from" defaultValue={range.fromDay} />
        </label>
        <label className="field">
          To (included)
          <input type="date" name="to" defaultValue={range.toDay} />
        </label>
        <label className="field">
          Flows at
          <select name="warehouse" defaultValue={warehouse}>
            <option value="">all warehouses</option>
            {warehouses.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </label>
        <button className="button button--quiet" type="submit">
          Show
        </button>
      </form>
      <section className="panel">
        <h2 className="panel__title">
          Flows in and out, {range.fromDay} to {range.toDay}
          {warehouse ? ` at ${warehouse}` : ''}
        </h2>
        <p className="dt-help">
          Units by UTC day of business time. Across all warehouses a transfer shows both in and out; returned = units a
          warehouse received back from customers.
        </p>
        <DailyFlowsTable flows={flows} />
      </section>
      <div className="dt-grid">
        <Panel
          title="Returns by reason"
          help="Returns requested in the range (by request date, not by ship cohort as on the board’s return rate); units of rejected returns are shown apart."
        >
          <SkuReturns reasons={reasons} recent={recent} />
        </Panel>
        <Panel title="Margin">
          <p className="dt-help" data-testid="margin-help">
            {SKU_MARGIN_HELP}
          </p>
          <SkuMarginTable rows={margin} />
        </Panel>
      </div>
      <Panel title="Exceptions">
        <EntityExceptions items={exceptions.value} error={exceptions.error} />
      </Panel>
    </DrillThroughPage>
  );
}
