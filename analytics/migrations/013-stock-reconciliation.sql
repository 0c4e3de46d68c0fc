-- Stock as the core counts it (stock.snapshot) and as the events move it. The tower compares
-- the latest snapshot of a SKU-warehouse with the one before it plus every movement in between:
-- no opening balance is needed (the core never emits one), and a late movement simply changes
-- the answer on the next sweep. A restock at inspection knows only its return; its warehouse is
-- the return's (return_watch_facts), resolved when read.
CREATE TABLE IF NOT EXISTS stock_snapshots
(
    warehouse LowCardinality(String),
    sku       String,
    at        DateTime64(3, 'UTC'),
    on_hand   Int64,
    reserved  Int64
)
ENGINE = MergeTree
ORDER BY (warehouse, sku, at);

CREATE TABLE IF NOT EXISTS stock_movements
(
    kind        LowCardinality(String),
    warehouse   LowCardinality(String),
    sku         String,
    occurred_at DateTime64(3, 'UTC'),
    delta       Int64,
    return_id   String
)
ENGINE = MergeTree
ORDER BY (warehouse, sku, occurred_at);

-- Stored before this rollup existed: folded in once (see 002 for why it is guarded).
INSERT INTO stock_snapshots
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS at,
    JSONExtractInt(data, 'on_hand') AS on_hand,
    JSONExtractInt(data, 'reserved') AS reserved
FROM events
WHERE type = 'stock.snapshot'
  AND (SELECT count() FROM stock_snapshots) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS stock_snapshots_mv TO stock_snapshots AS
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS at,
    JSONExtractInt(data, 'on_hand') AS on_hand,
    JSONExtractInt(data, 'reserved') AS reserved
FROM events
WHERE type = 'stock.snapshot';

-- Stored before this rollup existed: folded in once (see 002 for why it is guarded).
INSERT INTO stock_movements
SELECT
    'stock.received' AS kind,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at,
    JSONExtractInt(data, 'qty') AS delta,
    '' AS return_id
FROM events
WHERE type = 'stock.received'
  AND (SELECT count() FROM stock_movements WHERE kind = 'stock.received') = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_received_mv TO stock_movements AS
SELECT
    'stock.received' AS kind,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at,
    JSONExtractInt(data, 'qty') AS delta,
    '' AS return_id
FROM events
WHERE type = 'stock.received';

-- Stored before this rollup existed: folded in once (see 002 for why it is guarded).
INSERT INTO stock_movements
SELECT
    'stock.adjusted' AS kind,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at,
    JSONExtractInt(data, 'qty_delta') AS delta,
    '' AS return_id
FROM events
WHERE type = 'stock.adjusted'
  AND (SELECT count() FROM stock_movements WHERE kind = 'stock.adjusted') = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_adjusted_mv TO stock_movements AS
SELECT
    'stock.adjusted' AS kind,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at,
    JSONExtractInt(data, 'qty_delta') AS delta,
    '' AS return_id
FROM events
WHERE type = 'stock.adjusted';

-- Stored before this rollup existed: folded in once (see 002 for why it is guarded).
INSERT INTO stock_movements
SELECT
    'stock.transferred' AS kind,
    leg.1 AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at,
    leg.2 AS delta,
    '' AS return_id
FROM events
ARRAY JOIN [
    (JSONExtractString(data, 'from_warehouse'), -JSONExtractInt(data, 'qty')),
    (JSONExtractString(data, 'to_warehouse'), JSONExtractInt(data, 'qty'))
] AS leg
WHERE type = 'stock.transferred'
  AND (SELECT count() FROM stock_movements WHERE kind = 'stock.transferred') = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_transferred_mv TO stock_movements AS
SELECT
    'stock.transferred' AS kind,
    leg.1 AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at,
    leg.2 AS delta,
    '' AS return_id
FROM events
ARRAY JOIN [
    (JSONExtractString(data, 'from_warehouse'), -JSONExtractInt(data, 'qty')),
    (JSONExtractString(data, 'to_warehouse'), JSONExtractInt(data, 'qty'))
] AS leg
WHERE type = 'stock.transferred';

-- Stored before this rollup existed: folded in once (see 002 for why it is guarded).
INSERT INTO stock_movements
SELECT
    'order.shipped' AS kind,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    occurred_at,
    -JSONExtractInt(line, 'qty') AS delta,
    '' AS return_id
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE type = 'order.shipped'
  AND (SELECT count() FROM stock_movements WHERE kind = 'order.shipped') = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_shipped_mv TO stock_movements AS
SELECT
    'order.shipped' AS kind,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    occurred_at,
    -JSONExtractInt(line, 'qty') AS delta,
    '' AS return_id
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE type = 'order.shipped';

-- Stored before this rollup existed: folded in once (see 002 for why it is guarded).
INSERT INTO stock_movements
SELECT
    'return.inspected' AS kind,
    '' AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    occurred_at,
    JSONExtractInt(line, 'qty') AS delta,
    JSONExtractString(data, 'return_id') AS return_id
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE type = 'return.inspected' AND JSONExtractString(line, 'disposition') = 'restock'
  AND (SELECT count() FROM stock_movements WHERE kind = 'return.inspected') = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_restocked_mv TO stock_movements AS
SELECT
    'return.inspected' AS kind,
    '' AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    occurred_at,
    JSONExtractInt(line, 'qty') AS delta,
    JSONExtractString(data, 'return_id') AS return_id
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE type = 'return.inspected' AND JSONExtractString(line, 'disposition') = 'restock';
