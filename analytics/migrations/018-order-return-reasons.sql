-- The reason codes of each return an order received, keyed by order_id so that an order's
-- contribution reads them by the primary key: the perfect order rate leaves out orders returned
-- as damaged or wrong_item (analytics/kpis/families/order-fulfilment-family.ts). Whether a
-- return was rejected comes from return_facts, whose `return.rejected` rows carry no order_id.
CREATE TABLE IF NOT EXISTS order_return_reasons
(
    order_id     String,
    return_id    String,
    requested_at DateTime64(3, 'UTC'),
    reason_codes Array(String)
)
ENGINE = ReplacingMergeTree
ORDER BY (order_id, return_id);

-- Events stored before this table existed are folded in once (see 002 for why it is guarded).
INSERT INTO order_return_reasons
SELECT
    order_id,
    JSONExtractString(data, 'return_id') AS return_id,
    occurred_at AS requested_at,
    arrayMap(l -> JSONExtractString(l, 'reason_code'), JSONExtractArrayRaw(data, 'lines')) AS reason_codes
FROM events
WHERE type = 'return.requested' AND order_id != '' AND (SELECT count() FROM order_return_reasons) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS order_return_reasons_mv TO order_return_reasons AS
SELECT
    order_id,
    JSONExtractString(data, 'return_id') AS return_id,
    occurred_at AS requested_at,
    arrayMap(l -> JSONExtractString(l, 'reason_code'), JSONExtractArrayRaw(data, 'lines')) AS reason_codes
FROM events
WHERE type = 'return.requested' AND order_id != '';
