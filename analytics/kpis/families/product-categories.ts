/**
 * The latest category per SKU as a subquery to join on `sku`: contributions take a line's category
 * from the product dimension when they are computed ('' when the SKU was never described).
 */
export const PRODUCT_CATEGORIES_SQL = `(SELECT sku, argMax(category, updated_at) AS category FROM products GROUP BY sku)`;
