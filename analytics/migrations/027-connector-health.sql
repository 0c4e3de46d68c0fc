-- What the tower saw of each connector (the sandbox core's event stream, its actions): every
-- failed call, and the first success after a failure (or after a start), so the connector-errors
-- rule can tell "still failing" from "recovered" without a row per healthy call.
CREATE TABLE IF NOT EXISTS connector_health
(
    at        DateTime64(3, 'UTC'),
    connector LowCardinality(String),
    operation LowCardinality(String),
    ok        UInt8,
    message   String
)
ENGINE = MergeTree
ORDER BY (connector, operation, at)
TTL toDateTime(at) + INTERVAL 30 DAY;
