-- One row per order once merged: what happened to it and when, whatever order its events arrive
-- in. Each event contributes only the facts it knows (NULL or 0 for the rest) and the merge
-- keeps the earliest / latest / total, so a late `order.created` after its `order.shipped` still
-- yields one complete order. Readers must still GROUP BY order_id: merges happen eventually.
-- Open backlog: created, not shipped, not cancelled. On-time ship: first_shipped_at ≤ promised_ship_by.
CREATE TABLE IF NOT EXISTS order_facts
(
    order_id         String,
    created_at       SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    channel          SimpleAggregateFunction(max, String),
    promised_ship_by SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    units_ordered    SimpleAggregateFunction(sum, UInt64),
    first_shipped_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    last_shipped_at  SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    shipments        SimpleAggregateFunction(sum, UInt64),
    units_shipped    SimpleAggregateFunction(sum, UInt64),
    cancelled_at     SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    delivered_at     SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC')))
)
ENGINE = AggregatingMergeTree
ORDER BY order_id;

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO order_facts
SELECT
    order_id,
    min(if(type = 'order.created', occurred_at, NULL)) AS created_at,
    max(if(type = 'order.created', JSONExtractString(data, 'channel'), '')) AS channel,
    max(if(type = 'order.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'promised_ship_by'), 3, 'UTC'), NULL)) AS promised_ship_by,
    sum(if(type = 'order.created', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_ordered,
    min(if(type = 'order.shipped', occurred_at, NULL)) AS first_shipped_at,
    max(if(type = 'order.shipped', occurred_at, NULL)) AS last_shipped_at,
    countIf(type = 'order.shipped') AS shipments,
    sum(if(type = 'order.shipped', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_shipped,
    min(if(type = 'order.cancelled', occurred_at, NULL)) AS cancelled_at,
    min(if(type = 'order.delivered', occurred_at, NULL)) AS delivered_at
FROM events
WHERE type IN ('order.created', 'order.shipped', 'order.cancelled', 'order.delivered')
  AND order_id != ''
  AND (SELECT count() FROM order_facts) = 0
GROUP BY order_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS order_facts_mv TO order_facts AS
SELECT
    order_id,
    min(if(type = 'order.created', occurred_at, NULL)) AS created_at,
    max(if(type = 'order.created', JSONExtractString(data, 'channel'), '')) AS channel,
    max(if(type = 'order.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'promised_ship_by'), 3, 'UTC'), NULL)) AS promised_ship_by,
    sum(if(type = 'order.created', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_ordered,
    min(if(type = 'order.shipped', occurred_at, NULL)) AS first_shipped_at,
    max(if(type = 'order.shipped', occurred_at, NULL)) AS last_shipped_at,
    countIf(type = 'order.shipped') AS shipments,
    sum(if(type = 'order.shipped', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_shipped,
    min(if(type = 'order.cancelled', occurred_at, NULL)) AS cancelled_at,
    min(if(type = 'order.delivered', occurred_at, NULL)) AS delivered_at
FROM events
WHERE type IN ('order.created', 'order.shipped', 'order.cancelled', 'order.delivered')
  AND order_id != ''
GROUP BY order_id;
