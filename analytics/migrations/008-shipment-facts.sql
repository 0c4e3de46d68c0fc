-- One row per shipment once merged: shipped, its latest carrier exception, delivered. A carrier
-- issue is open while the latest exception is not followed by a delivery. Readers GROUP BY shipment_id.
CREATE TABLE IF NOT EXISTS shipment_facts
(
    shipment_id       String,
    order_id          SimpleAggregateFunction(max, String),
    carrier           SimpleAggregateFunction(max, String),
    warehouse         SimpleAggregateFunction(max, String),
    shipped_at        SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    first_exception_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    last_exception_at SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    exception_kind    AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    delivered_at      SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC')))
)
ENGINE = AggregatingMergeTree
ORDER BY shipment_id;

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO shipment_facts
SELECT
    JSONExtractString(data, 'shipment_id') AS shipment_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'carrier')) AS carrier,
    max(JSONExtractString(data, 'warehouse')) AS warehouse,
    min(if(type = 'order.shipped', occurred_at, NULL)) AS shipped_at,
    min(if(type = 'shipment.exception', occurred_at, NULL)) AS first_exception_at,
    max(if(type = 'shipment.exception', occurred_at, NULL)) AS last_exception_at,
    argMaxState(JSONExtractString(data, 'kind'), if(type = 'shipment.exception', occurred_at, toDateTime64(0, 3, 'UTC'))) AS exception_kind,
    max(if(type = 'order.delivered', occurred_at, NULL)) AS delivered_at
FROM events
WHERE type IN ('order.shipped', 'shipment.exception', 'order.delivered')
  AND JSONExtractString(data, 'shipment_id') != ''
  AND (SELECT count() FROM shipment_facts) = 0
GROUP BY shipment_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS shipment_facts_mv TO shipment_facts AS
SELECT
    JSONExtractString(data, 'shipment_id') AS shipment_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'carrier')) AS carrier,
    max(JSONExtractString(data, 'warehouse')) AS warehouse,
    min(if(type = 'order.shipped', occurred_at, NULL)) AS shipped_at,
    min(if(type = 'shipment.exception', occurred_at, NULL)) AS first_exception_at,
    max(if(type = 'shipment.exception', occurred_at, NULL)) AS last_exception_at,
    argMaxState(JSONExtractString(data, 'kind'), if(type = 'shipment.exception', occurred_at, toDateTime64(0, 3, 'UTC'))) AS exception_kind,
    max(if(type = 'order.delivered', occurred_at, NULL)) AS delivered_at
FROM events
WHERE type IN ('order.shipped', 'shipment.exception', 'order.delivered')
  AND JSONExtractString(data, 'shipment_id') != ''
GROUP BY shipment_id;
