import { durationBucketSql, entityFilter, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import { ledgerCount, ledgerValue, NEVER, orderHeadersCte, orderMilestonesCte } from './order-facts-sql';
import { pickPackRateSql } from './pick-pack-rate';
import { ordersOfReturnEvents } from './orders-of-returns';
import { ordersShippedBeforeCreated } from './orders-shipped-before-created';

/** Return reasons that make a shipped order imperfect (the goods were damaged or not what was ordered). */
export const IMPERFECT_RETURN_REASONS = ['damaged', 'wrong_item'] as const;

/**
 * What an order's shipments and deliveries add: cycle time, on-time ship, fill, perfect order
 * and fulfilment cost, booked at the hour of the order's first shipment (the earliest
 * `order.shipped`, ties by shipment id) under that shipment's warehouse and carrier; shipping and
 * pick/pack cost at each shipment's hour; on-time delivery at the first delivery's hour under the
 * delivered shipment's warehouse and carrier. Channel and region come from order.created, the
 * order's category from its largest line, unit and line sums from each line's SKU.
 *
 * A shipment whose order.created has not arrived counts as a shipped order (ship.orders) and its
 * cost counts, unsliced; everything that needs the order (cycle time, fill, perfect order) waits
 * for it, and a delivery counts once its shipment is known. Pick/pack cost takes each shipped
 * SKU's category from the order's lines.
 *
 * One pass over the order's shipments, one row each, whose metrics are unfolded by ARRAY JOIN:
 * the ingest writer runs this twice per batch, so it reads each facts table once.
 */
export const orderFulfilmentFamily: LedgerFamily = {
  entity: 'order-fulfilment',
  keys: 'order',
  metrics: [
    'ship.cycle_seconds',
    'ship.orders',
    'ship.with_promise',
    'ship.on_time',
    'ship.shipping_cost',
    'ship.pick_pack_cost',
    'fill.orders',
    'fill.orders_complete',
    'fill.units_ordered',
    'fill.units_first_shipment',
    'fill.lines',
    'fill.lines_complete',
    'perfect.orders',
    'perfect.perfect',
    'delivery.with_promise',
    'delivery.on_time',
  ],

  async touchedBy(rows, analytics) {
    const direct = rows.filter((row) => ['order.shipped', 'order.delivered'].includes(row.type)).map((row) => row.order_id);
    const [createdLate, ofReturns] = await Promise.all([
      ordersShippedBeforeCreated(analytics, 'order_shipments', rows),
      ordersOfReturnEvents(rows, analytics),
    ]);
    return [...direct, ...createdLate, ...ofReturns];
  },

  contributionsSql(scope: EntityScope) {
    const count = (metric: string, condition: string) =>
      `('${metric}', shipped_at, order_category, 0, ${ledgerCount(condition)})`;
    return `WITH
    ${orderHeadersCte(scope)},
    ${orderMilestonesCte(scope)},
    imperfect_returns AS (
        SELECT DISTINCT order_id
        FROM order_return_reasons FINAL
        WHERE ${entityFilter('order_id', scope)}
          AND hasAny(reason_codes, [${IMPERFECT_RETURN_REASONS.map((r) => `'${r}'`).join(', ')}])
          AND return_id NOT IN (
              SELECT return_id FROM return_facts
              WHERE rejected = 1
                AND return_id IN (SELECT return_id FROM order_return_reasons WHERE ${entityFilter('order_id', scope)})
          )
    ),
    shipments AS (
        SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY shipped_at, shipment_id) = 1 AS is_first
        FROM order_shipments FINAL
        WHERE ${entityFilter('order_id', scope)}
    )
SELECT
    order_id AS entity_key, m.1 AS metric, m.2 AS hour, channel, region, warehouse, m.3 AS category, carrier,
    '' AS supplier, '' AS detail, m.4 AS bucket, m.5 AS value
FROM
(
    SELECT
        *,
        -- A line's units in the first shipment: its SKU's units there not taken by earlier lines of the SKU.
        arrayMap(i -> least(toInt64(line_qtys[i]), greatest(toInt64(0),
            toInt64(arraySum(arrayMap((sku, qty) -> if(sku = line_skus[i], qty, 0), skus, qtys)))
            - toInt64(arraySum(arrayMap((sku, qty, j) -> if(sku = line_skus[i] AND j < i, qty, 0), line_skus, line_qtys, arrayEnumerate(line_skus)))))),
            arrayEnumerate(line_skus)) AS line_shipped,
        known AND arrayAll((shipped, ordered) -> shipped = toInt64(ordered), line_shipped, line_qtys) AS complete
    FROM
    (
        SELECT
            s.order_id AS order_id, s.shipped_at AS shipped_at, s.warehouse AS warehouse, s.carrier AS carrier,
            s.shipping_cost AS shipping_cost, s.skus AS skus, s.qtys AS qtys, s.is_first AS is_first,
            o.order_id != '' AS known, o.channel AS channel, o.region AS region, toString(o.category) AS order_category,
            dateDiff('millisecond', o.created_at, s.shipped_at) / 1000 AS cycle_seconds,
            arrayMap(x -> x.2, o.lines) AS line_skus,
            arrayMap(x -> x.3, o.lines) AS line_qtys,
            arrayMap(x -> toString(x.4), o.lines) AS line_categories,
            ms.promised_ship_by IS NOT NULL AS with_promise,
            with_promise AND s.shipped_at <= ms.promised_ship_by AS on_time,
            r.order_id != '' AS returned_imperfect,
            s.shipment_id = ms.delivered_shipment AS delivers,
            ifNull(ms.delivered_at, ${NEVER}) AS delivered_at,
            ms.promised_delivery_by IS NOT NULL AS with_delivery_promise,
            with_delivery_promise AND delivered_at <= ms.promised_delivery_by AS delivered_on_time
        FROM shipments AS s
        LEFT JOIN order_headers AS o ON o.order_id = s.order_id
        LEFT JOIN milestone_facts AS ms ON ms.order_id = s.order_id
        LEFT JOIN imperfect_returns AS r ON r.order_id = s.order_id
    )
)
ARRAY JOIN arrayConcat(
    if(is_first, [
        ${count('ship.orders', '1')},
        ('ship.cycle_seconds', shipped_at, order_category, if(known, ${durationBucketSql('cycle_seconds')}, 0), ${ledgerCount('known')}),
        ${count('ship.with_promise', 'with_promise')},
        ${count('ship.on_time', 'on_time')},
        ${count('fill.orders', 'known')},
        ${count('fill.orders_complete', 'complete')},
        ${count('perfect.orders', 'known')},
        ${count('perfect.perfect', 'complete AND (NOT with_promise OR on_time) AND NOT returned_imperfect')}
    ], []),
    if(is_first AND known, arrayFlatten(arrayMap((line_category, ordered, shipped) -> [
        ('fill.units_ordered', shipped_at, line_category, 0, ${ledgerValue('ordered')}),
        ('fill.units_first_shipment', shipped_at, line_category, 0, ${ledgerValue('shipped')}),
        ('fill.lines', shipped_at, line_category, 0, ${ledgerValue('1')}),
        ('fill.lines_complete', shipped_at, line_category, 0, ${ledgerCount('shipped = toInt64(ordered)')})
    ], line_categories, line_qtys, line_shipped)), []),
    [('ship.shipping_cost', shipped_at, order_category, 0, ${ledgerValue('shipping_cost')})],
    arrayMap((sku, qty) -> ('ship.pick_pack_cost', shipped_at, line_categories[indexOf(line_skus, sku)], 0,
        ${ledgerValue(`toDecimal128(qty, 0) * ${pickPackRateSql()}`)}), skus, qtys),
    if(delivers, [
        ('delivery.with_promise', delivered_at, order_category, 0, ${ledgerCount('with_delivery_promise')}),
        ('delivery.on_time', delivered_at, order_category, 0, ${ledgerCount('delivered_on_time')})
    ], [])
) AS m
WHERE m.5 != 0`;
  },
};
