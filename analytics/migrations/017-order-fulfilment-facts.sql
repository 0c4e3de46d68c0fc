-- The facts behind the fulfilment KPIs (analytics/kpis/families/order-fulfilment-family.ts and
-- order-backlog-family.ts), keyed by order_id so that the KPI ledger reads one order's facts by
-- the primary key. `order_shipments` holds each shipment whole, its lines as arrays: a corrected
-- `order.shipped` (same shipment, new event id) replaces the shipment, lines included.
CREATE TABLE IF NOT EXISTS order_shipments
(
    order_id      String,
    shipment_id   String,
    shipped_at    DateTime64(3, 'UTC'),
    warehouse     LowCardinality(String),
    carrier       LowCardinality(String),
    shipping_cost Decimal(38, 4),
    skus          Array(String),
    qtys          Array(UInt64)
)
ENGINE = ReplacingMergeTree
ORDER BY (order_id, shipment_id);

-- Events stored before this table existed are folded in once (see 002 for why it is guarded).
INSERT INTO order_shipments
SELECT
    order_id,
    JSONExtractString(data, 'shipment_id') AS shipment_id,
    occurred_at AS shipped_at,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'carrier') AS carrier,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(data, 'shipping_cost')), 4) AS shipping_cost,
    arrayMap(l -> JSONExtractString(l, 'sku'), JSONExtractArrayRaw(data, 'lines')) AS skus,
    arrayMap(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')) AS qtys
FROM events
WHERE type = 'order.shipped' AND (SELECT count() FROM order_shipments) = 0;

CREATE MATERIALIZED VIEW IF NOT EXISTS order_shipments_mv TO order_shipments AS
SELECT
    order_id,
    JSONExtractString(data, 'shipment_id') AS shipment_id,
    occurred_at AS shipped_at,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'carrier') AS carrier,
    toDecimal128OrZero(trim(BOTH '"' FROM JSONExtractRaw(data, 'shipping_cost')), 4) AS shipping_cost,
    arrayMap(l -> JSONExtractString(l, 'sku'), JSONExtractArrayRaw(data, 'lines')) AS skus,
    arrayMap(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')) AS qtys
FROM events
WHERE type = 'order.shipped';

-- One row per order once merged: its promises, its first backorder (and the lines short in the
-- latest one), its first cancellation and who initiated it, its first delivery and of which
-- shipment. Only min / max / argMin / argMax, so a repeated or corrected event never counts
-- twice and the merged row is the same whatever order the events arrive in. Readers GROUP BY
-- order_id. An argMin's "no such event" time is far in the future, so any real event wins.
CREATE TABLE IF NOT EXISTS order_milestones
(
    order_id             String,
    promised_ship_by     SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    promised_delivery_by SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    backordered_at       SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    backorder_lines      AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    cancelled_at         SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    cancelled_by         AggregateFunction(argMin, String, DateTime64(3, 'UTC')),
    delivered_at         SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    delivered_shipment   AggregateFunction(argMin, String, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY order_id;

INSERT INTO order_milestones
SELECT
    order_id,
    max(if(type = 'order.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'promised_ship_by'), 3, 'UTC'), NULL)) AS promised_ship_by,
    max(if(type = 'order.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'promised_delivery_by'), 3, 'UTC'), NULL)) AS promised_delivery_by,
    min(if(type = 'order.backordered', occurred_at, NULL)) AS backordered_at,
    argMaxState(if(type = 'order.backordered', JSONExtractRaw(data, 'lines'), '[]'), if(type = 'order.backordered', occurred_at, toDateTime64(0, 3, 'UTC'))) AS backorder_lines,
    min(if(type = 'order.cancelled', occurred_at, NULL)) AS cancelled_at,
    argMinState(if(type = 'order.cancelled', JSONExtractString(data, 'initiated_by'), ''), if(type = 'order.cancelled', occurred_at, toDateTime64('2299-12-31 00:00:00', 3, 'UTC'))) AS cancelled_by,
    min(if(type = 'order.delivered', occurred_at, NULL)) AS delivered_at,
    argMinState(if(type = 'order.delivered', JSONExtractString(data, 'shipment_id'), ''), if(type = 'order.delivered', occurred_at, toDateTime64('2299-12-31 00:00:00', 3, 'UTC'))) AS delivered_shipment
FROM events
WHERE type IN ('order.created', 'order.backordered', 'order.cancelled', 'order.delivered')
  AND order_id != ''
  AND (SELECT count() FROM order_milestones) = 0
GROUP BY order_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS order_milestones_mv TO order_milestones AS
SELECT
    order_id,
    max(if(type = 'order.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'promised_ship_by'), 3, 'UTC'), NULL)) AS promised_ship_by,
    max(if(type = 'order.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'promised_delivery_by'), 3, 'UTC'), NULL)) AS promised_delivery_by,
    min(if(type = 'order.backordered', occurred_at, NULL)) AS backordered_at,
    argMaxState(if(type = 'order.backordered', JSONExtractRaw(data, 'lines'), '[]'), if(type = 'order.backordered', occurred_at, toDateTime64(0, 3, 'UTC'))) AS backorder_lines,
    min(if(type = 'order.cancelled', occurred_at, NULL)) AS cancelled_at,
    argMinState(if(type = 'order.cancelled', JSONExtractString(data, 'initiated_by'), ''), if(type = 'order.cancelled', occurred_at, toDateTime64('2299-12-31 00:00:00', 3, 'UTC'))) AS cancelled_by,
    min(if(type = 'order.delivered', occurred_at, NULL)) AS delivered_at,
    argMinState(if(type = 'order.delivered', JSONExtractString(data, 'shipment_id'), ''), if(type = 'order.delivered', occurred_at, toDateTime64('2299-12-31 00:00:00', 3, 'UTC'))) AS delivered_shipment
FROM events
WHERE type IN ('order.created', 'order.backordered', 'order.cancelled', 'order.delivered')
  AND order_id != ''
GROUP BY order_id;
