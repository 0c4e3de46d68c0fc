-- One row per pick once merged: due by, completed, units required and picked. A pick is overdue
-- while not completed past due_by; a short pick picked fewer units than required. Readers GROUP BY pick_id.
CREATE TABLE IF NOT EXISTS pick_facts
(
    pick_id      String,
    order_id     SimpleAggregateFunction(max, String),
    warehouse    SimpleAggregateFunction(max, String),
    created_at   SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    due_by       SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    completed_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    qty_required SimpleAggregateFunction(sum, UInt64),
    qty_picked   SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY pick_id;

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO pick_facts
SELECT
    JSONExtractString(data, 'pick_id') AS pick_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'warehouse')) AS warehouse,
    min(if(type = 'pick.created', occurred_at, NULL)) AS created_at,
    max(if(type = 'pick.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'due_by'), 3, 'UTC'), NULL)) AS due_by,
    min(if(type = 'pick.completed', occurred_at, NULL)) AS completed_at,
    sum(if(type = 'pick.completed', arraySum(l -> JSONExtractUInt(l, 'qty_required'), JSONExtractArrayRaw(data, 'lines')), 0)) AS qty_required,
    sum(if(type = 'pick.completed', arraySum(l -> JSONExtractUInt(l, 'qty_picked'), JSONExtractArrayRaw(data, 'lines')), 0)) AS qty_picked
FROM events
WHERE type IN ('pick.created', 'pick.completed')
  AND JSONExtractString(data, 'pick_id') != ''
  AND (SELECT count() FROM pick_facts) = 0
GROUP BY pick_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS pick_facts_mv TO pick_facts AS
SELECT
    JSONExtractString(data, 'pick_id') AS pick_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'warehouse')) AS warehouse,
    min(if(type = 'pick.created', occurred_at, NULL)) AS created_at,
    max(if(type = 'pick.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'due_by'), 3, 'UTC'), NULL)) AS due_by,
    min(if(type = 'pick.completed', occurred_at, NULL)) AS completed_at,
    sum(if(type = 'pick.completed', arraySum(l -> JSONExtractUInt(l, 'qty_required'), JSONExtractArrayRaw(data, 'lines')), 0)) AS qty_required,
    sum(if(type = 'pick.completed', arraySum(l -> JSONExtractUInt(l, 'qty_picked'), JSONExtractArrayRaw(data, 'lines')), 0)) AS qty_picked
FROM events
WHERE type IN ('pick.created', 'pick.completed')
  AND JSONExtractString(data, 'pick_id') != ''
GROUP BY pick_id;
