import type { EntityScope } from '../ledger/ledger-family';
import { PRODUCT_CATEGORIES_SQL } from './product-categories';

/**
 * SQL pieces the return, refund and margin families share, so an order's channel, the category
 * an order-level number falls under, and what a unit sold for or cost are decided in one place.
 */

/** `condition` when the family reads the bound keys only, else every row. */
export function whenKeys(scope: EntityScope, condition: string): string {
  return scope === 'keys' ? condition : '1 = 1';
}

/**
 * The latest standard cost stated per SKU (a `product.updated` without a cost keeps the one before),
 * as a subquery to join on `sku`; `unit_cost` is NULL for a SKU never costed.
 */
export const PRODUCT_COSTS_SQL = `(SELECT sku, argMax(unit_cost, updated_at) AS unit_cost FROM products GROUP BY sku)`;

/**
 * Per order: its channel and region, and the category of its largest line by value (the first such
 * line on a tie), under which order-level numbers count — the same rule as orders.created.
 */
export function orderContextSql(orderCondition: string): string {
  return `(
    SELECT
        l.order_id AS order_id,
        any(l.channel) AS channel,
        any(l.region) AS region,
        argMax(p.category, (l.qty * l.unit_price, -toInt64(l.line_no))) AS category
    FROM (SELECT * FROM order_lines FINAL WHERE ${orderCondition}) AS l
    LEFT JOIN ${PRODUCT_CATEGORIES_SQL} AS p ON p.sku = l.sku
    GROUP BY l.order_id
)`;
}

/**
 * Per order and SKU: units ordered, what they sold for (quantity × unit price − discount), and
 * the units that carried a unit_cost with their cost. Returned or shipped units of the SKU are
 * valued at these averages.
 */
export function orderSkuValuesSql(orderCondition: string): string {
  return `(
    SELECT
        order_id,
        sku,
        sum(qty) AS ordered_qty,
        sum(qty * unit_price - discount) AS sale_value,
        sumIf(qty, unit_cost IS NOT NULL) AS costed_qty,
        sumIf(qty * ifNull(unit_cost, toDecimal128(0, 4)), unit_cost IS NOT NULL) AS costed_value
    FROM order_lines FINAL
    WHERE ${orderCondition}
    GROUP BY order_id, sku
)`;
}

/**
 * The cost of `units` units of a line: the order line's unit_cost for that SKU when the order
 * stated one, else the product's standard cost, else 0. `k` is orderSkuValuesSql, `c` PRODUCT_COSTS_SQL.
 */
export function unitsCostSql(units: string, k: string, c: string): string {
  return `toDecimal128(if(${k}.costed_qty > 0, ${units} * ${k}.costed_value / ${k}.costed_qty, ${units} * ifNull(${c}.unit_cost, toDecimal128(0, 4))), 4)`;
}
