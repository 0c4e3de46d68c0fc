-- One row per refund once merged: requested (amount, return), approved, rejected, issued.
-- `refund.approved` and `refund.rejected` carry no order_id; the merge takes it from the others.
CREATE TABLE IF NOT EXISTS refund_facts
(
    refund_id     String,
    order_id      SimpleAggregateFunction(max, String),
    return_id     SimpleAggregateFunction(max, String),
    amount        SimpleAggregateFunction(max, Float64),
    requested_at  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    approved_at   SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    rejected_at   SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    issued_at     SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    issued_amount SimpleAggregateFunction(sum, Float64)
)
ENGINE = AggregatingMergeTree
ORDER BY refund_id;

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO refund_facts
SELECT
    JSONExtractString(data, 'refund_id') AS refund_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'return_id')) AS return_id,
    max(if(type = 'refund.requested', JSONExtractFloat(data, 'amount'), 0)) AS amount,
    min(if(type = 'refund.requested', occurred_at, NULL)) AS requested_at,
    min(if(type = 'refund.approved', occurred_at, NULL)) AS approved_at,
    min(if(type = 'refund.rejected', occurred_at, NULL)) AS rejected_at,
    min(if(type = 'refund.issued', occurred_at, NULL)) AS issued_at,
    sum(if(type = 'refund.issued', JSONExtractFloat(data, 'amount'), 0)) AS issued_amount
FROM events
WHERE type IN ('refund.requested', 'refund.approved', 'refund.rejected', 'refund.issued')
  AND JSONExtractString(data, 'refund_id') != ''
  AND (SELECT count() FROM refund_facts) = 0
GROUP BY refund_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS refund_facts_mv TO refund_facts AS
SELECT
    JSONExtractString(data, 'refund_id') AS refund_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'return_id')) AS return_id,
    max(if(type = 'refund.requested', JSONExtractFloat(data, 'amount'), 0)) AS amount,
    min(if(type = 'refund.requested', occurred_at, NULL)) AS requested_at,
    min(if(type = 'refund.approved', occurred_at, NULL)) AS approved_at,
    min(if(type = 'refund.rejected', occurred_at, NULL)) AS rejected_at,
    min(if(type = 'refund.issued', occurred_at, NULL)) AS issued_at,
    sum(if(type = 'refund.issued', JSONExtractFloat(data, 'amount'), 0)) AS issued_amount
FROM events
WHERE type IN ('refund.requested', 'refund.approved', 'refund.rejected', 'refund.issued')
  AND JSONExtractString(data, 'refund_id') != ''
GROUP BY refund_id;
