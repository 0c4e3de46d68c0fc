-- One row per SKU-warehouse once merged: its latest cycle count (expected and counted) and its
-- latest correction, plus the latest known unit cost, to value a discrepancy at cost.
CREATE TABLE IF NOT EXISTS stock_count_facts
(
    warehouse          String,
    sku                String,
    last_count_at      SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    count_expected     AggregateFunction(argMax, Int64, DateTime64(3, 'UTC')),
    count_counted      AggregateFunction(argMax, Int64, DateTime64(3, 'UTC')),
    last_correction_at SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    unit_cost          AggregateFunction(argMax, Float64, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (warehouse, sku);

-- Events stored before this rollup existed are folded in once (see 002 for why it is guarded).
INSERT INTO stock_count_facts
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    max(if(type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'cycle_count', occurred_at, NULL)) AS last_count_at,
    argMaxState(toInt64(JSONExtractInt(data, 'expected_qty')), if(type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'cycle_count', occurred_at, toDateTime64(0, 3, 'UTC'))) AS count_expected,
    argMaxState(toInt64(JSONExtractInt(data, 'counted_qty')), if(type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'cycle_count', occurred_at, toDateTime64(0, 3, 'UTC'))) AS count_counted,
    max(if(type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'correction', occurred_at, NULL)) AS last_correction_at,
    argMaxState(JSONExtractFloat(data, 'unit_cost'), if(type = 'stock.received', occurred_at, toDateTime64(0, 3, 'UTC'))) AS unit_cost
FROM events
WHERE type IN ('stock.adjusted', 'stock.received')
  AND JSONExtractString(data, 'sku') != ''
  AND (SELECT count() FROM stock_count_facts) = 0
GROUP BY warehouse, sku;

CREATE MATERIALIZED VIEW IF NOT EXISTS stock_count_facts_mv TO stock_count_facts AS
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    max(if(type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'cycle_count', occurred_at, NULL)) AS last_count_at,
    argMaxState(toInt64(JSONExtractInt(data, 'expected_qty')), if(type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'cycle_count', occurred_at, toDateTime64(0, 3, 'UTC'))) AS count_expected,
    argMaxState(toInt64(JSONExtractInt(data, 'counted_qty')), if(type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'cycle_count', occurred_at, toDateTime64(0, 3, 'UTC'))) AS count_counted,
    max(if(type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'correction', occurred_at, NULL)) AS last_correction_at,
    argMaxState(JSONExtractFloat(data, 'unit_cost'), if(type = 'stock.received', occurred_at, toDateTime64(0, 3, 'UTC'))) AS unit_cost
FROM events
WHERE type IN ('stock.adjusted', 'stock.received')
  AND JSONExtractString(data, 'sku') != ''
GROUP BY warehouse, sku;
