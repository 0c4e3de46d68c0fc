import { entityFilter, type EntityScope } from '../ledger/ledger-family';
import { PRODUCT_CATEGORIES_SQL } from './product-categories';

/**
 * Common table expressions the order families share (each `name AS (subquery)` for a WITH
 * clause), restricted to the orders in scope by the primary key of every facts table. Each is
 * referenced once by its family's SQL: ClickHouse evaluates a CTE again at every reference.
 */

/**
 * One row per placed order, as order.created states it: when, channel, region, the category of
 * its largest line by value (then the lowest line number: the category the order-lines family
 * counts the order under), and its lines in line order as tuples
 * (line_no, sku, qty, category of the SKU, net unit price).
 */
export function orderHeadersCte(scope: EntityScope): string {
  return `order_headers AS (
        SELECT
            order_id,
            min(created_at) AS created_at,
            any(channel) AS channel,
            any(region) AS region,
            argMax(sku_category, (qty * unit_price, -toInt64(line_no))) AS category,
            arraySort(x -> x.1, groupArray((line_no, sku, qty, sku_category, (qty * unit_price - discount) / qty))) AS lines
        FROM
        (
            SELECT l.order_id AS order_id, l.line_no AS line_no, l.created_at AS created_at, l.channel AS channel,
                   l.region AS region, l.sku AS sku, l.qty AS qty, l.unit_price AS unit_price, l.discount AS discount,
                   p.category AS sku_category
            FROM (SELECT * FROM order_lines FINAL WHERE ${entityFilter('order_id', scope)}) AS l
            LEFT JOIN ${PRODUCT_CATEGORIES_SQL} AS p ON p.sku = l.sku
        )
        GROUP BY order_id
    )`;
}

/** The merged milestones of the orders in scope (order_milestones, migration 017). */
export function orderMilestonesCte(scope: EntityScope): string {
  return `milestone_facts AS (
        SELECT
            order_id,
            max(promised_ship_by) AS promised_ship_by,
            max(promised_delivery_by) AS promised_delivery_by,
            min(backordered_at) AS backordered_at,
            argMaxMerge(backorder_lines) AS backorder_lines,
            min(cancelled_at) AS cancelled_at,
            argMinMerge(cancelled_by) AS cancelled_by,
            min(delivered_at) AS delivered_at,
            argMinMerge(delivered_shipment) AS delivered_shipment
        FROM order_milestones
        WHERE ${entityFilter('order_id', scope)}
        GROUP BY order_id
    )`;
}

/** Money or units as the ledger stores them. */
export function ledgerValue(expr: string): string {
  return `toDecimal128(${expr}, 4)`;
}

/** 1 where a condition holds, else 0, as the ledger stores it. */
export function ledgerCount(condition: string): string {
  return `toDecimal128(toUInt8(${condition}), 4)`;
}

/** A time that stands for "never" where a ledger row needs a non-null hour (its value is then 0). */
export const NEVER = `toDateTime64('2299-12-31 00:00:00', 3, 'UTC')`;
