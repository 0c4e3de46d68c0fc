-- Each completed pick whole, its lines as arrays: what pick accuracy counts per line (the SKU
-- gives the category) and the mis-picks found at pack check (`errors`). A repeated
-- `pick.completed` for a pick (a correction under a new event id) replaces it.
CREATE TABLE IF NOT EXISTS pick_completions
(
    pick_id      String,
    order_id     String,
    warehouse    LowCardinality(String),
    completed_at DateTime64(3, 'UTC'),
    skus         Array(String),
    qty_required Array(UInt64),
    qty_picked   Array(UInt64),
    errors       UInt64
)
ENGINE = ReplacingMergeTree
ORDER BY pick_id;

-- Events stored before this table existed are folded in once (see 002 for why it is guarded).
INSERT INTO pick_completions
SELECT
    JSONExtractString(data, 'pick_id') AS pick_id,
    order_id,
    JSONExtractString(data, 'warehouse') AS warehouse,
    occurred_at AS completed_at,
    arrayMap(l -> JSONExtractString(l, 'sku'), JSONExtractArrayRaw(data, 'lines')) AS skus,
    arrayMap(l -> JSONExtractUInt(l, 'qty_required'), JSONExtractArrayRaw(data, 'lines')) AS qty_required,
    arrayMap(l -> JSONExtractUInt(l, 'qty_picked'), JSONExtractArrayRaw(data, 'lines')) AS qty_picked,
    JSONExtractUInt(data, 'errors') AS errors
FROM events
WHERE type = 'pick.completed' AND (SELECT count() FROM pick_completions) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS pick_completions_mv TO pick_completions AS
SELECT
    JSONExtractString(data, 'pick_id') AS pick_id,
    order_id,
    JSONExtractString(data, 'warehouse') AS warehouse,
    occurred_at AS completed_at,
    arrayMap(l -> JSONExtractString(l, 'sku'), JSONExtractArrayRaw(data, 'lines')) AS skus,
    arrayMap(l -> JSONExtractUInt(l, 'qty_required'), JSONExtractArrayRaw(data, 'lines')) AS qty_required,
    arrayMap(l -> JSONExtractUInt(l, 'qty_picked'), JSONExtractArrayRaw(data, 'lines')) AS qty_picked,
    JSONExtractUInt(data, 'errors') AS errors
FROM events
WHERE type = 'pick.completed';
