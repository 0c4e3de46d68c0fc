-- The product dimension, from `product.updated`: the latest category, value class and standard cost
-- per SKU. KPI contributions read it when they are computed, so a tile can be filtered by category
-- and inventory accuracy can apply the tolerance of the SKU's value class (A ±1 %, B ±3 %, C ±5 %).
CREATE TABLE IF NOT EXISTS products
(
    sku         String,
    updated_at  DateTime64(3, 'UTC'),
    name        String,
    category    LowCardinality(String),
    value_class LowCardinality(String),
    unit_cost   Nullable(Decimal(38, 4)),
    supplier    String
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY sku;

INSERT INTO products
SELECT
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS updated_at,
    JSONExtractString(data, 'name') AS name,
    JSONExtractString(data, 'category') AS category,
    JSONExtractString(data, 'value_class') AS value_class,
    toDecimal64OrNull(trim(BOTH '"' FROM JSONExtractRaw(data, 'unit_cost')), 4) AS unit_cost,
    JSONExtractString(data, 'supplier') AS supplier
FROM events
WHERE type = 'product.updated' AND (SELECT count() FROM products) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS products_mv TO products AS
SELECT
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS updated_at,
    JSONExtractString(data, 'name') AS name,
    JSONExtractString(data, 'category') AS category,
    JSONExtractString(data, 'value_class') AS value_class,
    toDecimal64OrNull(trim(BOTH '"' FROM JSONExtractRaw(data, 'unit_cost')), 4) AS unit_cost,
    JSONExtractString(data, 'supplier') AS supplier
FROM events
WHERE type = 'product.updated';
