-- Which returns and refunds belong to which order, and which refunds to which return, by key:
-- `return.received` names no order and `order.created` no refund, yet each changes what those
-- returns and refunds contribute to the KPI ledger. The ledger families look the related
-- entities up here by primary key instead of scanning return and refund facts on every batch.
CREATE TABLE IF NOT EXISTS after_sales_links
(
    from_kind LowCardinality(String),
    from_id   String,
    to_kind   LowCardinality(String),
    to_id     String
)
ENGINE = ReplacingMergeTree
ORDER BY (from_kind, from_id, to_kind, to_id);

-- Events stored before this table existed are folded in once (see 002 for why it is guarded).
INSERT INTO after_sales_links
SELECT link.1 AS from_kind, link.2 AS from_id, link.3 AS to_kind, link.4 AS to_id
FROM events
ARRAY JOIN [
    ('order', order_id, 'return', if(type = 'return.requested', JSONExtractString(data, 'return_id'), '')),
    ('return', if(type = 'return.requested', JSONExtractString(data, 'return_id'), ''), 'order', order_id),
    ('order', order_id, 'refund', if(type LIKE 'refund.%', JSONExtractString(data, 'refund_id'), '')),
    ('return', if(type LIKE 'refund.%', JSONExtractString(data, 'return_id'), ''), 'refund', JSONExtractString(data, 'refund_id'))
] AS link
WHERE type IN ('return.requested', 'refund.requested', 'refund.issued')
  AND link.2 != '' AND link.4 != ''
  AND (SELECT count() FROM after_sales_links) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS after_sales_links_mv TO after_sales_links AS
SELECT link.1 AS from_kind, link.2 AS from_id, link.3 AS to_kind, link.4 AS to_id
FROM events
ARRAY JOIN [
    ('order', order_id, 'return', if(type = 'return.requested', JSONExtractString(data, 'return_id'), '')),
    ('return', if(type = 'return.requested', JSONExtractString(data, 'return_id'), ''), 'order', order_id),
    ('order', order_id, 'refund', if(type LIKE 'refund.%', JSONExtractString(data, 'refund_id'), '')),
    ('return', if(type LIKE 'refund.%', JSONExtractString(data, 'return_id'), ''), 'refund', JSONExtractString(data, 'refund_id'))
] AS link
WHERE type IN ('return.requested', 'refund.requested', 'refund.issued')
  AND link.2 != '' AND link.4 != '';
