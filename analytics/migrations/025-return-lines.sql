-- One row per return line at each stage the return went through: `requested` (the order, the
-- reason code), `received` (the warehouse) and `inspected` (the disposition and the recovery
-- value, NULL when the producer did not state one). The facts behind the return rate by reason,
-- return processing time, recovery rate and the returned units in gross margin. A repeated event
-- for the same stage of a return (a correction under a new event id) replaces its lines.
CREATE TABLE IF NOT EXISTS return_lines
(
    return_id      String,
    stage          LowCardinality(String),
    line_no        UInt32,
    at             DateTime64(3, 'UTC'),
    order_id       String,
    warehouse      LowCardinality(String),
    sku            String,
    qty            UInt64,
    reason_code    LowCardinality(String),
    disposition    LowCardinality(String),
    recovery_value Nullable(Decimal(38, 4))
)
ENGINE = ReplacingMergeTree
ORDER BY (return_id, stage, line_no);

-- Events stored before this table existed are folded in once (see 002 for why it is guarded).
INSERT INTO return_lines
SELECT
    JSONExtractString(data, 'return_id') AS return_id,
    multiIf(type = 'return.requested', 'requested', type = 'return.received', 'received', 'inspected') AS stage,
    toUInt32(line_no) AS line_no,
    occurred_at AS at,
    order_id,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractUInt(line, 'qty') AS qty,
    JSONExtractString(line, 'reason_code') AS reason_code,
    JSONExtractString(line, 'disposition') AS disposition,
    toDecimal128OrNull(trim(BOTH '"' FROM JSONExtractRaw(line, 'recovery_value')), 4) AS recovery_value
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line, arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type IN ('return.requested', 'return.received', 'return.inspected')
  AND JSONExtractString(data, 'return_id') != ''
  AND (SELECT count() FROM return_lines) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS return_lines_mv TO return_lines AS
SELECT
    JSONExtractString(data, 'return_id') AS return_id,
    multiIf(type = 'return.requested', 'requested', type = 'return.received', 'received', 'inspected') AS stage,
    toUInt32(line_no) AS line_no,
    occurred_at AS at,
    order_id,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractUInt(line, 'qty') AS qty,
    JSONExtractString(line, 'reason_code') AS reason_code,
    JSONExtractString(line, 'disposition') AS disposition,
    toDecimal128OrNull(trim(BOTH '"' FROM JSONExtractRaw(line, 'recovery_value')), 4) AS recovery_value
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line, arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type IN ('return.requested', 'return.received', 'return.inspected')
  AND JSONExtractString(data, 'return_id') != '';
