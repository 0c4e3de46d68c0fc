-- One row per return once merged. The return rate attributes returned units to the ship cohort
-- of the order (order_facts.first_shipped_at), not to the return date, so it joins on order_id.
-- `return.rejected` carries no order_id; the merge takes it from `return.requested` (max over '').
CREATE TABLE IF NOT EXISTS return_facts
(
    return_id       String,
    order_id        SimpleAggregateFunction(max, String),
    requested_at    SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    units_requested SimpleAggregateFunction(sum, UInt64),
    rejected        SimpleAggregateFunction(max, UInt8),
    rejected_at     SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    received_at     SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    units_received  SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY return_id;

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO return_facts
SELECT
    JSONExtractString(data, 'return_id') AS return_id,
    max(order_id) AS order_id,
    min(if(type = 'return.requested', occurred_at, NULL)) AS requested_at,
    sum(if(type = 'return.requested', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_requested,
    toUInt8(max(type = 'return.rejected')) AS rejected,
    min(if(type = 'return.rejected', occurred_at, NULL)) AS rejected_at,
    min(if(type = 'return.received', occurred_at, NULL)) AS received_at,
    sum(if(type = 'return.received', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_received
FROM events
WHERE type IN ('return.requested', 'return.rejected', 'return.received')
  AND (SELECT count() FROM return_facts) = 0
GROUP BY return_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS return_facts_mv TO return_facts AS
SELECT
    JSONExtractString(data, 'return_id') AS return_id,
    max(order_id) AS order_id,
    min(if(type = 'return.requested', occurred_at, NULL)) AS requested_at,
    sum(if(type = 'return.requested', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_requested,
    toUInt8(max(type = 'return.rejected')) AS rejected,
    min(if(type = 'return.rejected', occurred_at, NULL)) AS rejected_at,
    min(if(type = 'return.received', occurred_at, NULL)) AS received_at,
    sum(if(type = 'return.received', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_received
FROM events
WHERE type IN ('return.requested', 'return.rejected', 'return.received')
GROUP BY return_id;
