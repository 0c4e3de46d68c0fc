-- Shipments and units shipped per hour (of occurred_at, UTC), warehouse and carrier, from `order.shipped`.
CREATE TABLE IF NOT EXISTS shipments_hourly
(
    hour          DateTime('UTC'),
    warehouse     LowCardinality(String),
    carrier       LowCardinality(String),
    shipments     UInt64,
    units_shipped UInt64
)
ENGINE = SummingMergeTree
ORDER BY (hour, warehouse, carrier);

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO shipments_hourly
SELECT
    toStartOfHour(occurred_at) AS hour,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'carrier') AS carrier,
    count() AS shipments,
    sum(arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines'))) AS units_shipped
FROM events
WHERE type = 'order.shipped' AND (SELECT count() FROM shipments_hourly) = 0
GROUP BY hour, warehouse, carrier;

CREATE MATERIALIZED VIEW IF NOT EXISTS shipments_hourly_mv TO shipments_hourly AS
SELECT
    toStartOfHour(occurred_at) AS hour,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'carrier') AS carrier,
    count() AS shipments,
    sum(arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines'))) AS units_shipped
FROM events
WHERE type = 'order.shipped'
GROUP BY hour, warehouse, carrier;
