-- One row per shipment line as `order.shipped` states it, with the shipment's warehouse and
-- carrier: the facts behind the return rate's ship cohort (units shipped per order, by line
-- category) and the cost of the units that left (gross margin after returns). Ordered by order
-- so a family reads one order's shipments by key. A repeated `order.shipped` for a shipment (a
-- correction under a new event id) replaces its lines.
CREATE TABLE IF NOT EXISTS shipped_lines
(
    order_id    String,
    shipment_id String,
    line_no     UInt32,
    shipped_at  DateTime64(3, 'UTC'),
    warehouse   LowCardinality(String),
    carrier     LowCardinality(String),
    sku         String,
    qty         UInt64
)
ENGINE = ReplacingMergeTree
ORDER BY (order_id, shipment_id, line_no);

-- Events stored before this table existed are folded in once (see 002 for why it is guarded).
INSERT INTO shipped_lines
SELECT
    order_id,
    JSONExtractString(data, 'shipment_id') AS shipment_id,
    toUInt32(line_no) AS line_no,
    occurred_at AS shipped_at,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'carrier') AS carrier,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractUInt(line, 'qty') AS qty
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line, arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type = 'order.shipped' AND order_id != '' AND (SELECT count() FROM shipped_lines) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS shipped_lines_mv TO shipped_lines AS
SELECT
    order_id,
    JSONExtractString(data, 'shipment_id') AS shipment_id,
    toUInt32(line_no) AS line_no,
    occurred_at AS shipped_at,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'carrier') AS carrier,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractUInt(line, 'qty') AS qty
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line, arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type = 'order.shipped' AND order_id != '';
