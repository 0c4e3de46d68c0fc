-- One row per order once merged, with what the exception rules watch: holds, backorders,
-- allocation, shipping and cancellation. Every column is a min / max / sum or a latest-by-time
-- (argMax over occurred_at), so the merged row is the same whatever order the events arrive in.
-- A hold is open while the latest hold is later than the latest release; a backorder is open
-- while the latest backorder is later than the latest allocation. Readers GROUP BY order_id.
CREATE TABLE IF NOT EXISTS order_watch_facts
(
    order_id          String,
    created_at        SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    channel           SimpleAggregateFunction(max, String),
    currency          SimpleAggregateFunction(max, String),
    order_value       SimpleAggregateFunction(sum, Float64),
    promised_ship_by  SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    last_held_at      SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    hold_reason       AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    last_released_at  SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    last_allocated_at SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    warehouse         AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    last_backordered_at SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    backorder_lines   AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    first_shipped_at  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    cancelled_at      SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC')))
)
ENGINE = AggregatingMergeTree
ORDER BY order_id;

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO order_watch_facts
SELECT
    order_id,
    min(if(type = 'order.created', occurred_at, NULL)) AS created_at,
    max(if(type = 'order.created', JSONExtractString(data, 'channel'), '')) AS channel,
    max(if(type = 'order.created', JSONExtractString(data, 'currency'), '')) AS currency,
    sum(if(type = 'order.created',
        arraySum(l -> JSONExtractFloat(l, 'qty') * JSONExtractFloat(l, 'unit_price') - JSONExtractFloat(l, 'discount'), JSONExtractArrayRaw(data, 'lines'))
            + JSONExtractFloat(data, 'shipping_charged'),
        0)) AS order_value,
    max(if(type = 'order.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'promised_ship_by'), 3, 'UTC'), NULL)) AS promised_ship_by,
    max(if(type = 'order.held', occurred_at, NULL)) AS last_held_at,
    argMaxState(JSONExtractString(data, 'reason'), if(type = 'order.held', occurred_at, toDateTime64(0, 3, 'UTC'))) AS hold_reason,
    max(if(type = 'order.released', occurred_at, NULL)) AS last_released_at,
    max(if(type = 'order.allocated', occurred_at, NULL)) AS last_allocated_at,
    argMaxState(JSONExtractString(data, 'warehouse'), if(JSONExtractString(data, 'warehouse') != '', occurred_at, toDateTime64(0, 3, 'UTC'))) AS warehouse,
    max(if(type = 'order.backordered', occurred_at, NULL)) AS last_backordered_at,
    argMaxState(JSONExtractRaw(data, 'lines'), if(type = 'order.backordered', occurred_at, toDateTime64(0, 3, 'UTC'))) AS backorder_lines,
    min(if(type = 'order.shipped', occurred_at, NULL)) AS first_shipped_at,
    min(if(type = 'order.cancelled', occurred_at, NULL)) AS cancelled_at
FROM events
WHERE type IN ('order.created', 'order.held', 'order.released', 'order.allocated', 'order.backordered', 'order.shipped', 'order.cancelled')
  AND order_id != ''
  AND (SELECT count() FROM order_watch_facts) = 0
GROUP BY order_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS order_watch_facts_mv TO order_watch_facts AS
SELECT
    order_id,
    min(if(type = 'order.created', occurred_at, NULL)) AS created_at,
    max(if(type = 'order.created', JSONExtractString(data, 'channel'), '')) AS channel,
    max(if(type = 'order.created', JSONExtractString(data, 'currency'), '')) AS currency,
    sum(if(type = 'order.created',
        arraySum(l -> JSONExtractFloat(l, 'qty') * JSONExtractFloat(l, 'unit_price') - JSONExtractFloat(l, 'discount'), JSONExtractArrayRaw(data, 'lines'))
            + JSONExtractFloat(data, 'shipping_charged'),
        0)) AS order_value,
    max(if(type = 'order.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'promised_ship_by'), 3, 'UTC'), NULL)) AS promised_ship_by,
    max(if(type = 'order.held', occurred_at, NULL)) AS last_held_at,
    argMaxState(JSONExtractString(data, 'reason'), if(type = 'order.held', occurred_at, toDateTime64(0, 3, 'UTC'))) AS hold_reason,
    max(if(type = 'order.released', occurred_at, NULL)) AS last_released_at,
    max(if(type = 'order.allocated', occurred_at, NULL)) AS last_allocated_at,
    argMaxState(JSONExtractString(data, 'warehouse'), if(JSONExtractString(data, 'warehouse') != '', occurred_at, toDateTime64(0, 3, 'UTC'))) AS warehouse,
    max(if(type = 'order.backordered', occurred_at, NULL)) AS last_backordered_at,
    argMaxState(JSONExtractRaw(data, 'lines'), if(type = 'order.backordered', occurred_at, toDateTime64(0, 3, 'UTC'))) AS backorder_lines,
    min(if(type = 'order.shipped', occurred_at, NULL)) AS first_shipped_at,
    min(if(type = 'order.cancelled', occurred_at, NULL)) AS cancelled_at
FROM events
WHERE type IN ('order.created', 'order.held', 'order.released', 'order.allocated', 'order.backordered', 'order.shipped', 'order.cancelled')
  AND order_id != ''
GROUP BY order_id;
