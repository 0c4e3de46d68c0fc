import { entityFilter, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import { ledgerCount, ledgerValue, NEVER, orderHeadersCte, orderMilestonesCte } from './order-facts-sql';

/**
 * Where an order stands between placement and its first shipment: the open backlog, backorders
 * and cancellations, by channel, region and category (the order's largest line; backordered
 * units and value by each short line's SKU).
 *
 * - backlog.open: +1 at order.created, −1 at the first shipment or cancellation (never before
 *   the order was placed). Its `detail` is the day the order was placed, so the ages of what is
 *   open at any instant can be read from the ledger (readers/open-ages.ts).
 * - backorder.orders: 1 at order.created for an order that received an order.backordered.
 * - backorder.open, backorder.open_units, backorder.open_value: +1 (+units short, +their value at
 *   the order's net unit price) at the first order.backordered, and the same back at the first
 *   shipment or cancellation after it; `detail` is the day it was backordered. Units are those of
 *   the latest order.backordered; a short SKU's category and price are its order line's.
 * - cancel.orders: 1 at the first order.cancelled, `detail` = its initiated_by.
 */
export const orderBacklogFamily: LedgerFamily = {
  entity: 'order-backlog',
  keys: 'order',
  metrics: [
    'backlog.open',
    'backorder.orders',
    'backorder.open',
    'backorder.open_units',
    'backorder.open_value',
    'cancel.orders',
  ],

  async touchedBy(rows) {
    return rows
      .filter((row) => ['order.created', 'order.backordered', 'order.shipped', 'order.cancelled'].includes(row.type))
      .map((row) => row.order_id);
  },

  contributionsSql(scope: EntityScope) {
    const line = (field: number) => `tupleElement(arrayFirst(x -> x.2 = short.1, lines), ${field})`;
    return `WITH
    ${orderHeadersCte(scope)},
    ${orderMilestonesCte(scope)}
SELECT
    order_id AS entity_key, m.1 AS metric, m.2 AS hour, channel, region, '' AS warehouse, m.3 AS category,
    '' AS carrier, '' AS supplier, m.4 AS detail, 0 AS bucket, m.5 AS value
FROM
(
    SELECT
        ms.order_id AS order_id,
        o.order_id != '' AS known,
        o.created_at AS created_at,
        o.channel AS channel,
        o.region AS region,
        toString(o.category) AS order_category,
        o.lines AS lines,
        toString(toDate(o.created_at)) AS created_day,
        -- "Never" ends every list of shipment times: the minimum of an empty array is 1970.
        least(arrayMin(arrayPushBack(sh.times, ${NEVER})), ifNull(ms.cancelled_at, ${NEVER})) AS closed_at,
        ms.backordered_at IS NOT NULL AS backordered,
        ifNull(ms.backordered_at, ${NEVER}) AS backordered_at,
        toString(toDate(backordered_at)) AS backordered_day,
        least(
            arrayMin(arrayPushBack(arrayFilter(t -> t >= backordered_at, sh.times), ${NEVER})),
            ifNull(ms.cancelled_at, ${NEVER})
        ) AS backorder_closed_at,
        backorder_closed_at < ${NEVER} AS backorder_closed,
        greatest(backorder_closed_at, backordered_at) AS backorder_closes,
        arrayMap(l -> (JSONExtractString(l, 'sku'), JSONExtractUInt(l, 'qty_short')), JSONExtractArrayRaw(ms.backorder_lines)) AS short_lines,
        ms.cancelled_at IS NOT NULL AS cancelled,
        ifNull(ms.cancelled_at, ${NEVER}) AS cancelled_at,
        ms.cancelled_by AS cancelled_by
    FROM milestone_facts AS ms
    LEFT JOIN order_headers AS o ON o.order_id = ms.order_id
    LEFT JOIN
    (
        SELECT order_id, groupArray(shipped_at) AS times
        FROM order_shipments FINAL
        WHERE ${entityFilter('order_id', scope)}
        GROUP BY order_id
    ) AS sh ON sh.order_id = ms.order_id
)
ARRAY JOIN arrayConcat(
    [
        ('backlog.open', created_at, order_category, created_day, ${ledgerCount('known')}),
        ('backlog.open', greatest(closed_at, created_at), order_category, created_day, -${ledgerCount(`known AND closed_at < ${NEVER}`)}),
        ('backorder.orders', created_at, order_category, '', ${ledgerCount('known AND backordered')}),
        ('backorder.open', backordered_at, order_category, backordered_day, ${ledgerCount('backordered')}),
        ('backorder.open', backorder_closes, order_category, backordered_day, -${ledgerCount('backordered AND backorder_closed')}),
        ('cancel.orders', cancelled_at, order_category, cancelled_by, ${ledgerCount('cancelled')})
    ],
    -- Units and value short, by each short line's category, at the order's net unit price.
    if(backordered, arrayFlatten(arrayMap(short -> [
        ('backorder.open_units', backordered_at, toString(${line(4)}), backordered_day, ${ledgerValue('short.2')}),
        ('backorder.open_units', backorder_closes, toString(${line(4)}), backordered_day,
            -${ledgerValue('short.2 * backorder_closed')}),
        ('backorder.open_value', backordered_at, toString(${line(4)}), backordered_day, ${ledgerValue(`short.2 * ${line(5)}`)}),
        ('backorder.open_value', backorder_closes, toString(${line(4)}), backordered_day,
            -${ledgerValue(`short.2 * ${line(5)} * backorder_closed`)})
    ], short_lines)), [])
) AS m
WHERE m.5 != 0`;
  },
};
