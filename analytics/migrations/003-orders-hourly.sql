-- Orders, units and gross sales per hour (of occurred_at, UTC) and channel, from `order.created`.
-- Gross sales = Σ qty × unit_price − line discount. Money arrives as a JSON number or a decimal
-- string; both are read through the raw JSON text into Decimal(·, 4), which is exact for the
-- contract's ≤ 4 decimals, so sums never drift the way Float64 sums of cents do.
CREATE TABLE IF NOT EXISTS orders_hourly
(
    hour        DateTime('UTC'),
    channel     LowCardinality(String),
    orders      UInt64,
    units       UInt64,
    gross_sales Decimal(38, 4)
)
ENGINE = SummingMergeTree
ORDER BY (hour, channel);

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO orders_hourly
SELECT
    toStartOfHour(occurred_at) AS hour,
    JSONExtractString(data, 'channel') AS channel,
    count() AS orders,
    sum(arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines'))) AS units,
    sum(arraySum(l -> JSONExtractUInt(l, 'qty') * toDecimal64OrZero(trim(BOTH '"' FROM JSONExtractRaw(l, 'unit_price')), 4)
                      - toDecimal64OrZero(trim(BOTH '"' FROM JSONExtractRaw(l, 'discount')), 4),
                 JSONExtractArrayRaw(data, 'lines'))) AS gross_sales
FROM events
WHERE type = 'order.created' AND (SELECT count() FROM orders_hourly) = 0
GROUP BY hour, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS orders_hourly_mv TO orders_hourly AS
SELECT
    toStartOfHour(occurred_at) AS hour,
    JSONExtractString(data, 'channel') AS channel,
    count() AS orders,
    sum(arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines'))) AS units,
    sum(arraySum(l -> JSONExtractUInt(l, 'qty') * toDecimal64OrZero(trim(BOTH '"' FROM JSONExtractRaw(l, 'unit_price')), 4)
                      - toDecimal64OrZero(trim(BOTH '"' FROM JSONExtractRaw(l, 'discount')), 4),
                 JSONExtractArrayRaw(data, 'lines'))) AS gross_sales
FROM events
WHERE type = 'order.created'
GROUP BY hour, channel;
