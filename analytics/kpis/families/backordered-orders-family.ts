import { entityFilter, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import { keysOfSkus, PRODUCT_DIMENSION_SQL, updatedSkus } from './stock-family-keys';

/**
 * Orders a stockout affected: each order that received an `order.backordered`, once, at the hour
 * of its first backorder, under that backorder's warehouse and the category of its largest short
 * line (so orders summed over categories are never counted twice).
 */
export const backorderedOrdersFamily: LedgerFamily = {
  entity: 'backordered-orders',
  keys: 'order',
  metrics: ['stockout.orders_affected'],

  async touchedBy(rows, analytics) {
    const backordered = rows.filter((r) => r.type === 'order.backordered' && r.order_id !== '').map((r) => r.order_id);
    const recategorised = await keysOfSkus(
      analytics,
      'kpi-ledger.backordered-orders.orders-of-skus',
      'SELECT DISTINCT order_id AS key FROM backorder_lines WHERE sku IN {skus:Array(String)}',
      updatedSkus(rows),
    );
    return [...backordered, ...recategorised];
  },

  contributionsSql(scope: EntityScope) {
    return `SELECT
    order_id AS entity_key,
    'stockout.orders_affected' AS metric,
    backordered_at AS hour,
    '' AS channel,
    '' AS region,
    warehouse,
    category,
    '' AS carrier,
    '' AS supplier,
    '' AS detail,
    0 AS bucket,
    toDecimal128(1, 4) AS value
FROM
(
    SELECT
        b.order_id AS order_id,
        b.backordered_at AS backordered_at,
        b.warehouse AS warehouse,
        p.category AS category,
        row_number() OVER (PARTITION BY b.order_id ORDER BY b.backordered_at, b.qty_short DESC, b.sku) AS line_rank
    FROM (SELECT * FROM backorder_lines FINAL WHERE ${entityFilter('order_id', scope)}) AS b
    LEFT JOIN ${PRODUCT_DIMENSION_SQL} AS p ON p.sku = b.sku
)
WHERE line_rank = 1`;
  },
};
