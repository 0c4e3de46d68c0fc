-- One row per return once merged, with the inspection that 006 does not track: received where,
-- inspected when. A return awaits inspection while received and not inspected.
CREATE TABLE IF NOT EXISTS return_watch_facts
(
    return_id    String,
    order_id     SimpleAggregateFunction(max, String),
    warehouse    SimpleAggregateFunction(max, String),
    received_at  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    inspected_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    rejected_at  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC')))
)
ENGINE = AggregatingMergeTree
ORDER BY return_id;

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO return_watch_facts
SELECT
    JSONExtractString(data, 'return_id') AS return_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'warehouse')) AS warehouse,
    min(if(type = 'return.received', occurred_at, NULL)) AS received_at,
    min(if(type = 'return.inspected', occurred_at, NULL)) AS inspected_at,
    min(if(type = 'return.rejected', occurred_at, NULL)) AS rejected_at
FROM events
WHERE type IN ('return.requested', 'return.received', 'return.inspected', 'return.rejected')
  AND JSONExtractString(data, 'return_id') != ''
  AND (SELECT count() FROM return_watch_facts) = 0
GROUP BY return_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS return_watch_facts_mv TO return_watch_facts AS
SELECT
    JSONExtractString(data, 'return_id') AS return_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'warehouse')) AS warehouse,
    min(if(type = 'return.received', occurred_at, NULL)) AS received_at,
    min(if(type = 'return.inspected', occurred_at, NULL)) AS inspected_at,
    min(if(type = 'return.rejected', occurred_at, NULL)) AS rejected_at
FROM events
WHERE type IN ('return.requested', 'return.received', 'return.inspected', 'return.rejected')
  AND JSONExtractString(data, 'return_id') != ''
GROUP BY return_id;
