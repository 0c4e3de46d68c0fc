-- Facts behind the stock KPIs (analytics/kpis/families/stock-*.ts, catalogue/stock-kpis.ts).
--
-- Cycle counts: one row per `stock.adjusted` with reason cycle_count that states both expected_qty
-- and counted_qty (a count without them cannot be judged). A count re-sent for the same SKU,
-- warehouse and instant under a new event id replaces the first.
CREATE TABLE IF NOT EXISTS cycle_counts
(
    warehouse    String,
    sku          String,
    counted_at   DateTime64(3, 'UTC'),
    expected_qty Int64,
    counted_qty  Int64
)
ENGINE = ReplacingMergeTree
ORDER BY (warehouse, sku, counted_at);

-- Stored before this table existed: folded in once (see 002 for why it is guarded).
INSERT INTO cycle_counts
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS counted_at,
    JSONExtractInt(data, 'expected_qty') AS expected_qty,
    JSONExtractInt(data, 'counted_qty') AS counted_qty
FROM events
WHERE type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'cycle_count'
  AND JSONHas(data, 'expected_qty') AND JSONHas(data, 'counted_qty')
  AND (SELECT count() FROM cycle_counts) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS cycle_counts_mv TO cycle_counts AS
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS counted_at,
    JSONExtractInt(data, 'expected_qty') AS expected_qty,
    JSONExtractInt(data, 'counted_qty') AS counted_qty
FROM events
WHERE type = 'stock.adjusted' AND JSONExtractString(data, 'reason') = 'cycle_count'
  AND JSONHas(data, 'expected_qty') AND JSONHas(data, 'counted_qty');

-- Receipts by SKU-warehouse: the FIFO layers that stock ageing lays against what is on hand.
-- Keyed by event id as well: two receipts of a SKU at one instant are two layers.
CREATE TABLE IF NOT EXISTS stock_receipts
(
    warehouse   String,
    sku         String,
    received_at DateTime64(3, 'UTC'),
    event_id    String,
    qty         Int64,
    unit_cost   Decimal(38, 4),
    po_id       String
)
ENGINE = ReplacingMergeTree
ORDER BY (warehouse, sku, received_at, event_id);

-- Stored before this table existed: folded in once (see 002 for why it is guarded).
INSERT INTO stock_receipts
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS received_at,
    id AS event_id,
    JSONExtractInt(data, 'qty') AS qty,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(data, 'unit_cost')), 4) AS unit_cost,
    JSONExtractString(data, 'po_id') AS po_id
FROM events
WHERE type = 'stock.received' AND (SELECT count() FROM stock_receipts) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS stock_receipts_mv TO stock_receipts AS
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS received_at,
    id AS event_id,
    JSONExtractInt(data, 'qty') AS qty,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(data, 'unit_cost')), 4) AS unit_cost,
    JSONExtractString(data, 'po_id') AS po_id
FROM events
WHERE type = 'stock.received';

-- The core's stock by hour: per SKU-warehouse the last snapshot of each hour. Reading "on hand as
-- of a time" then touches a few days of hours instead of every snapshot ever taken (stock_snapshots
-- is ordered by SKU-warehouse, so a time range cannot skip any of it).
CREATE TABLE IF NOT EXISTS stock_levels_hourly
(
    hour      DateTime('UTC'),
    warehouse String,
    sku       String,
    on_hand   AggregateFunction(argMax, Int64, DateTime64(3, 'UTC')),
    reserved  AggregateFunction(argMax, Int64, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, warehouse, sku);

-- Stored before this table existed: folded in once (see 002 for why it is guarded).
INSERT INTO stock_levels_hourly
SELECT
    toStartOfHour(occurred_at) AS hour,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    argMaxState(toInt64(JSONExtractInt(data, 'on_hand')), occurred_at) AS on_hand,
    argMaxState(toInt64(JSONExtractInt(data, 'reserved')), occurred_at) AS reserved
FROM events
WHERE type = 'stock.snapshot' AND (SELECT count() FROM stock_levels_hourly) = 0
GROUP BY hour, warehouse, sku;

CREATE MATERIALIZED VIEW IF NOT EXISTS stock_levels_hourly_mv TO stock_levels_hourly AS
SELECT
    toStartOfHour(occurred_at) AS hour,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    argMaxState(toInt64(JSONExtractInt(data, 'on_hand')), occurred_at) AS on_hand,
    argMaxState(toInt64(JSONExtractInt(data, 'reserved')), occurred_at) AS reserved
FROM events
WHERE type = 'stock.snapshot'
GROUP BY hour, warehouse, sku;

-- Backorder lines, for the orders a stockout affected. A backorder re-sent for the same order and
-- instant under a new event id replaces the first.
CREATE TABLE IF NOT EXISTS backorder_lines
(
    order_id       String,
    backordered_at DateTime64(3, 'UTC'),
    sku            String,
    warehouse      String,
    qty_short      Int64
)
ENGINE = ReplacingMergeTree
ORDER BY (order_id, backordered_at, sku);

-- Stored before this table existed: folded in once (see 002 for why it is guarded).
INSERT INTO backorder_lines
SELECT
    order_id,
    occurred_at AS backordered_at,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractInt(line, 'qty_short') AS qty_short
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE type = 'order.backordered' AND (SELECT count() FROM backorder_lines) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS backorder_lines_mv TO backorder_lines AS
SELECT
    order_id,
    occurred_at AS backordered_at,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractInt(line, 'qty_short') AS qty_short
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE type = 'order.backordered';
