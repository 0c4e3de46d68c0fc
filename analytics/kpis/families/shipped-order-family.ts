import { dataField, entityFilter, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import { linkedIds } from './after-sales-links';
import { ordersShippedBeforeCreated } from './orders-shipped-before-created';
import { orderContextSql, orderSkuValuesSql, PRODUCT_COSTS_SQL, unitsCostSql, whenKeys } from './after-sales-sql';
import { PRODUCT_CATEGORIES_SQL } from './product-categories';

const RETURNS_OF_KEYED_ORDERS = `return_id IN (SELECT to_id FROM after_sales_links
    WHERE from_kind = 'order' AND to_kind = 'return' AND from_id IN {keys:Array(String)})`;

/**
 * What a shipped order adds, by its channel and region and each line's category:
 *  - the return rate's ship cohort: returns.cohort_units_shipped (every unit shipped to it) and
 *    returns.cohort_units_returned (units of its return requests not rejected, by reason code),
 *    both at the hour of its first shipment — a return counts against the cohort it returns,
 *    whenever it comes — under that shipment's warehouse and carrier. An order never shipped has
 *    no cohort, so its returns do not count.
 *  - margin.cogs_shipped: units shipped × unit cost, at each shipment's hour: the cost of the
 *    units that left (gross margin takes back those received again, see the return family).
 * One family for both because they read the same order's shipments: one query per batch, not two.
 */
export const shippedOrderFamily: LedgerFamily = {
  entity: 'shipped-order',
  keys: 'order',
  metrics: ['returns.cohort_units_shipped', 'returns.cohort_units_returned', 'margin.cogs_shipped'],

  async touchedBy(rows, analytics) {
    const direct = rows.filter((r) => ['order.shipped', 'return.requested'].includes(r.type)).map((r) => r.order_id);
    // A rejection names only its return; a corrected request may have moved the return to another order.
    const returnIds = rows
      .filter((r) => r.type === 'return.rejected' || r.type === 'return.requested')
      .map((r) => dataField(r, 'return_id'));
    const [createdLate, ofReturns] = await Promise.all([
      ordersShippedBeforeCreated(analytics, 'shipped_lines', rows),
      linkedIds(analytics, { to: 'order', from: [{ kind: 'return', ids: returnIds }] }),
    ]);
    return [...direct, ...createdLate, ...ofReturns];
  },

  contributionsSql(scope: EntityScope) {
    const orders = entityFilter('order_id', scope);
    const returns = whenKeys(scope, RETURNS_OF_KEYED_ORDERS);
    // One pass over the order's shipped and returned units; each unit row then yields the metrics
    // it feeds (a zero value means "not this one" and is dropped).
    return `SELECT
    order_id AS entity_key,
    metric_value.1 AS metric,
    metric_value.2 AS hour,
    channel,
    region,
    metric_value.3 AS warehouse,
    category,
    metric_value.4 AS carrier,
    '' AS supplier,
    metric_value.5 AS detail,
    0 AS bucket,
    metric_value.6 AS value
FROM
(
    SELECT
        u.order_id AS order_id,
        u.kind AS kind,
        u.at AS at,
        u.reason_code AS reason_code,
        toDecimal128(u.qty, 4) AS units,
        c.first_shipped_at AS first_shipped_at,
        c.warehouse AS first_warehouse,
        c.carrier AS first_carrier,
        o.channel AS channel,
        o.region AS region,
        p.category AS category,
        ${unitsCostSql('u.qty', 'k', 'pc')} AS cost
    FROM
    (
        SELECT order_id, 'shipped' AS kind, shipped_at AS at, sku, qty, '' AS reason_code
        FROM shipped_lines FINAL
        WHERE ${orders}
        UNION ALL
        SELECT r.order_id, 'returned', r.at, r.sku, r.qty, r.reason_code
        FROM (SELECT * FROM return_lines FINAL WHERE stage = 'requested' AND ${returns}) AS r
        LEFT JOIN
        (
            SELECT return_id, max(rejected) AS rejected FROM return_facts WHERE ${returns} GROUP BY return_id
        ) AS f ON f.return_id = r.return_id
        WHERE f.rejected = 0
    ) AS u
    INNER JOIN
    (
        SELECT
            order_id,
            min(shipped_at) AS first_shipped_at,
            argMin(warehouse, shipped_at) AS warehouse,
            argMin(carrier, shipped_at) AS carrier
        FROM shipped_lines FINAL
        WHERE ${orders}
        GROUP BY order_id
    ) AS c ON c.order_id = u.order_id
    LEFT JOIN ${orderContextSql(orders)} AS o ON o.order_id = u.order_id
    LEFT JOIN ${orderSkuValuesSql(orders)} AS k ON k.order_id = u.order_id AND k.sku = u.sku
    LEFT JOIN ${PRODUCT_CATEGORIES_SQL} AS p ON p.sku = u.sku
    LEFT JOIN ${PRODUCT_COSTS_SQL} AS pc ON pc.sku = u.sku
)
ARRAY JOIN [
    ('returns.cohort_units_shipped', first_shipped_at, first_warehouse, first_carrier, '', if(kind = 'shipped', units, toDecimal128(0, 4))),
    ('returns.cohort_units_returned', first_shipped_at, first_warehouse, first_carrier, reason_code, if(kind = 'returned', units, toDecimal128(0, 4))),
    ('margin.cogs_shipped', at, '', '', '', if(kind = 'shipped', cost, toDecimal128(0, 4)))
] AS metric_value
WHERE metric_value.6 != 0`;
  },
};
