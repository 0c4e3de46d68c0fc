-- One row per order line as `order.created` states it, with the order's channel, region and
-- currency: the facts behind orders, units and gross sales. A repeated `order.created` for an
-- order (a correction under a new event id) replaces its lines.
CREATE TABLE IF NOT EXISTS order_lines
(
    order_id   String,
    line_no    UInt32,
    created_at DateTime64(3, 'UTC'),
    channel    LowCardinality(String),
    region     LowCardinality(String),
    currency   LowCardinality(String),
    sku        String,
    qty        UInt64,
    unit_price Decimal(38, 4),
    discount   Decimal(38, 4),
    unit_cost  Nullable(Decimal(38, 4))
)
ENGINE = ReplacingMergeTree
ORDER BY (order_id, line_no);

INSERT INTO order_lines
SELECT
    order_id,
    toUInt32(line_no) AS line_no,
    occurred_at AS created_at,
    JSONExtractString(data, 'channel') AS channel,
    JSONExtractString(data, 'region') AS region,
    JSONExtractString(data, 'currency') AS currency,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractUInt(line, 'qty') AS qty,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(line, 'unit_price')), 4) AS unit_price,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(line, 'discount')), 4) AS discount,
    toDecimal128OrNull(trim(BOTH '"' FROM JSONExtractRaw(line, 'unit_cost')), 4) AS unit_cost
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line, arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type = 'order.created' AND (SELECT count() FROM order_lines) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS order_lines_mv TO order_lines AS
SELECT
    order_id,
    toUInt32(line_no) AS line_no,
    occurred_at AS created_at,
    JSONExtractString(data, 'channel') AS channel,
    JSONExtractString(data, 'region') AS region,
    JSONExtractString(data, 'currency') AS currency,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractUInt(line, 'qty') AS qty,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(line, 'unit_price')), 4) AS unit_price,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(line, 'discount')), 4) AS discount,
    toDecimal128OrNull(trim(BOTH '"' FROM JSONExtractRaw(line, 'unit_cost')), 4) AS unit_cost
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line, arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type = 'order.created';
