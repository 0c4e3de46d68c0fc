-- Purchase order lines as `po.created` states them, and the receipts against them (`stock.received`
-- with a po_id): the facts behind supplier OTIF (analytics/kpis/families/po-lines-family.ts).
-- A po.created re-sent under a new event id (a correction) replaces its lines.
CREATE TABLE IF NOT EXISTS po_lines
(
    po_id       String,
    line_no     UInt32,
    created_at  DateTime64(3, 'UTC'),
    supplier    String,
    warehouse   String,
    sku         String,
    qty         Int64,
    unit_cost   Decimal(38, 4),
    expected_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (po_id, line_no);

-- Stored before this table existed: folded in once (see 002 for why it is guarded).
INSERT INTO po_lines
SELECT
    JSONExtractString(data, 'po_id') AS po_id,
    toUInt32(line_no) AS line_no,
    occurred_at AS created_at,
    JSONExtractString(data, 'supplier') AS supplier,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractInt(line, 'qty') AS qty,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(line, 'unit_cost')), 4) AS unit_cost,
    parseDateTime64BestEffort(JSONExtractString(data, 'expected_at'), 3, 'UTC') AS expected_at
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line, arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type = 'po.created' AND (SELECT count() FROM po_lines) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS po_lines_mv TO po_lines AS
SELECT
    JSONExtractString(data, 'po_id') AS po_id,
    toUInt32(line_no) AS line_no,
    occurred_at AS created_at,
    JSONExtractString(data, 'supplier') AS supplier,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractInt(line, 'qty') AS qty,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(line, 'unit_cost')), 4) AS unit_cost,
    parseDateTime64BestEffort(JSONExtractString(data, 'expected_at'), 3, 'UTC') AS expected_at
FROM events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line, arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type = 'po.created';

-- Receipts by PO: keyed by event id as well, since a line may arrive in several deliveries.
CREATE TABLE IF NOT EXISTS po_receipts
(
    po_id       String,
    sku         String,
    received_at DateTime64(3, 'UTC'),
    event_id    String,
    qty         Int64
)
ENGINE = ReplacingMergeTree
ORDER BY (po_id, sku, received_at, event_id);

-- Stored before this table existed: folded in once (see 002 for why it is guarded).
INSERT INTO po_receipts
SELECT
    JSONExtractString(data, 'po_id') AS po_id,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS received_at,
    id AS event_id,
    JSONExtractInt(data, 'qty') AS qty
FROM events
WHERE type = 'stock.received' AND JSONExtractString(data, 'po_id') != ''
  AND (SELECT count() FROM po_receipts) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS po_receipts_mv TO po_receipts AS
SELECT
    JSONExtractString(data, 'po_id') AS po_id,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS received_at,
    id AS event_id,
    JSONExtractInt(data, 'qty') AS qty
FROM events
WHERE type = 'stock.received' AND JSONExtractString(data, 'po_id') != '';
