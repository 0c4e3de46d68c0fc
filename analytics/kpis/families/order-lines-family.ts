import { entityFilter, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import { PRODUCT_CATEGORIES_SQL } from './product-categories';

/**
 * Orders, units and gross sales, booked at the hour the order was placed. Units and sales are split
 * by each line's category; the order itself counts once, under the category of its largest line
 * (by value), so orders summed over categories are never counted twice.
 */
export const orderLinesFamily: LedgerFamily = {
  entity: 'order-lines',
  keys: 'order',
  metrics: ['orders.created', 'orders.units', 'orders.gross_sales'],

  async touchedBy(rows) {
    return rows.filter((row) => row.type === 'order.created').map((row) => row.order_id);
  },

  contributionsSql(scope: EntityScope) {
    return `SELECT
    order_id AS entity_key,
    metric_value.1 AS metric,
    created_at AS hour,
    channel,
    region,
    '' AS warehouse,
    category,
    '' AS carrier,
    '' AS supplier,
    '' AS detail,
    0 AS bucket,
    metric_value.2 AS value
FROM
(
    SELECT
        l.order_id AS order_id,
        l.created_at AS created_at,
        l.channel AS channel,
        l.region AS region,
        p.category AS category,
        toDecimal128(l.qty, 4) AS units,
        toDecimal128(l.qty * l.unit_price - l.discount, 4) AS gross_sales,
        row_number() OVER (PARTITION BY l.order_id ORDER BY l.qty * l.unit_price DESC, l.line_no) = 1 AS largest_line
    FROM (SELECT * FROM order_lines FINAL WHERE ${entityFilter('order_id', scope)}) AS l
    LEFT JOIN ${PRODUCT_CATEGORIES_SQL} AS p ON p.sku = l.sku
)
ARRAY JOIN [
    ('orders.created', toDecimal128(largest_line, 4)),
    ('orders.units', units),
    ('orders.gross_sales', gross_sales)
] AS metric_value
WHERE metric_value.2 != 0`;
  },
};
