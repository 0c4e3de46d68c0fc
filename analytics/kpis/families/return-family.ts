import {
  dataField,
  durationBucketSql,
  entityFilter,
  type EntityScope,
  type LedgerFamily,
} from '../ledger/ledger-family';
import { linkedIds } from './after-sales-links';
import { orderContextSql, orderSkuValuesSql, PRODUCT_COSTS_SQL, unitsCostSql, whenKeys } from './after-sales-sql';
import { PRODUCT_CATEGORIES_SQL } from './product-categories';

const ORDERS_OF_KEYED_RETURNS = `order_id IN (SELECT order_id FROM return_lines
    WHERE stage = 'requested' AND return_id IN {keys:Array(String)})`;

/**
 * What one return adds, under its order's channel and region and the warehouse that received it:
 *  - returns.processing_seconds: return.received → return.inspected, a duration sketch booked at
 *    inspection, under the category of the return's largest inspected line (by units);
 *  - returns.received_cost: units received back × unit cost, at receipt (they left the cost of
 *    goods sold: gross margin takes it from margin.cogs_shipped);
 *  - by disposition, at inspection: returns.inspected_cost (units × unit cost), and for lines that
 *    state a recovery value and whose SKU is on the order, returns.recovery_value and
 *    returns.recovery_sale_value (what those units sold for on the order, after discount).
 * Line metrics fall under each line's category.
 */
export const returnFamily: LedgerFamily = {
  entity: 'return',
  keys: 'return',
  metrics: [
    'returns.processing_seconds',
    'returns.received_cost',
    'returns.inspected_cost',
    'returns.recovery_value',
    'returns.recovery_sale_value',
  ],

  async touchedBy(rows, analytics) {
    const direct = rows.filter((r) => r.type.startsWith('return.')).map((r) => dataField(r, 'return_id'));
    const orders = rows.filter((r) => r.type === 'order.created').map((r) => r.order_id);
    return [...direct, ...(await linkedIds(analytics, { to: 'return', from: [{ kind: 'order', ids: orders }] }))];
  },

  contributionsSql(scope: EntityScope) {
    const returns = entityFilter('return_id', scope);
    const orders = whenKeys(scope, ORDERS_OF_KEYED_RETURNS);
    const zero = 'toDecimal128(0, 4)';
    // One pass over the received and inspected lines; each yields the metrics it feeds (a zero
    // value means "not this one" and is dropped). The processing time rides on the return's
    // largest inspected line, so it counts once per return, under that line's category.
    return `SELECT
    return_id AS entity_key,
    metric_value.1 AS metric,
    at AS hour,
    channel,
    region,
    warehouse,
    category,
    '' AS carrier,
    '' AS supplier,
    metric_value.2 AS detail,
    toInt32(metric_value.3) AS bucket,
    metric_value.4 AS value
FROM
(
    SELECT
        l.return_id AS return_id,
        l.stage AS stage,
        l.at AS at,
        o.channel AS channel,
        o.region AS region,
        r.warehouse AS warehouse,
        p.category AS category,
        l.disposition AS disposition,
        ${unitsCostSql('l.qty', 'k', 'c')} AS cost,
        l.recovery_value IS NOT NULL AND k.ordered_qty > 0 AS valued,
        toDecimal128(ifNull(l.recovery_value, 0), 4) AS recovery,
        toDecimal128(if(k.ordered_qty > 0, l.qty * k.sale_value / k.ordered_qty, 0), 4) AS sale_value,
        l.stage = 'inspected' AND l.line_no = r.largest_line AND r.received AS timed,
        ${durationBucketSql("dateDiff('second', r.received_at, r.inspected_at)")} AS processing_bucket
    FROM (SELECT * FROM return_lines FINAL WHERE stage IN ('received', 'inspected') AND ${returns}) AS l
    INNER JOIN ${returnsSql(returns)} AS r ON r.return_id = l.return_id
    LEFT JOIN ${orderContextSql(orders)} AS o ON o.order_id = r.order_id
    LEFT JOIN ${orderSkuValuesSql(orders)} AS k ON k.order_id = r.order_id AND k.sku = l.sku
    LEFT JOIN ${PRODUCT_CATEGORIES_SQL} AS p ON p.sku = l.sku
    LEFT JOIN ${PRODUCT_COSTS_SQL} AS c ON c.sku = l.sku
)
ARRAY JOIN [
    ('returns.received_cost', '', 0, if(stage = 'received', cost, ${zero})),
    ('returns.inspected_cost', disposition, 0, if(stage = 'inspected', cost, ${zero})),
    ('returns.recovery_value', disposition, 0, if(stage = 'inspected' AND valued, recovery, ${zero})),
    ('returns.recovery_sale_value', disposition, 0, if(stage = 'inspected' AND valued, sale_value, ${zero})),
    ('returns.processing_seconds', '', processing_bucket, if(timed, toDecimal128(1, 4), ${zero}))
] AS metric_value
WHERE metric_value.4 != 0`;
  },
};

/** Per return: its order, the warehouse and time of receipt, the time of inspection, its largest inspected line. */
function returnsSql(returns: string): string {
  return `(
    SELECT
        return_id,
        anyIf(order_id, stage = 'requested') AS order_id,
        anyIf(warehouse, stage = 'received') AS warehouse,
        countIf(stage = 'received') > 0 AS received,
        minIf(at, stage = 'received') AS received_at,
        minIf(at, stage = 'inspected') AS inspected_at,
        argMaxIf(line_no, (qty, -toInt64(line_no)), stage = 'inspected') AS largest_line
    FROM return_lines FINAL
    WHERE ${returns}
    GROUP BY return_id
)`;
}
