-- Every insert into `events` runs each view on it, and each costs its analysis whether or not the
-- batch holds its event types: with 30 views a one-event write took ~100 ms, ~65 of them in the 24
-- views with nothing to do (bench:live, docs/BENCHMARKS.md). Events now pass through one entry per
-- domain — a Null table fed by a view that keeps that domain's types — and the facts views read
-- their domain's entry, whose views run only when a batch brings its types. `events` keeps three
-- views of its own (ids, freshness, products) and the four entries'. The facts views are as
-- before, their source aside.
CREATE TABLE IF NOT EXISTS order_events AS events ENGINE = Null;
CREATE TABLE IF NOT EXISTS pick_events AS events ENGINE = Null;
CREATE TABLE IF NOT EXISTS stock_events AS events ENGINE = Null;
CREATE TABLE IF NOT EXISTS after_sales_events AS events ENGINE = Null;

DROP VIEW IF EXISTS backorder_lines_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS backorder_lines_mv TO backorder_lines AS
SELECT
    order_id,
    occurred_at AS backordered_at,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractInt(line, 'qty_short') AS qty_short
FROM order_events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE type = 'order.backordered';

DROP VIEW IF EXISTS order_lines_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS order_lines_mv TO order_lines AS
SELECT
    order_id,
    toUInt32(line_no) AS line_no,
    occurred_at AS created_at,
    JSONExtractString(data, 'channel') AS channel,
    JSONExtractString(data, 'region') AS region,
    JSONExtractString(data, 'currency') AS currency,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractUInt(line, 'qty') AS qty,
    toDecimal128OrZero(trimBoth(JSONExtractRaw(line, 'unit_price'), '"'), 4) AS unit_price,
    toDecimal128OrZero(trimBoth(JSONExtractRaw(line, 'discount'), '"'), 4) AS discount,
    toDecimal128OrNull(trimBoth(JSONExtractRaw(line, 'unit_cost'), '"'), 4) AS unit_cost
FROM order_events
ARRAY JOIN
    JSONExtractArrayRaw(data, 'lines') AS line,
    arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type = 'order.created';

DROP VIEW IF EXISTS order_milestones_mv;
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
FROM order_events
WHERE (type IN ('order.created', 'order.backordered', 'order.cancelled', 'order.delivered')) AND (order_id != '')
GROUP BY order_id;

DROP VIEW IF EXISTS order_shipments_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS order_shipments_mv TO order_shipments AS
SELECT
    order_id,
    JSONExtractString(data, 'shipment_id') AS shipment_id,
    occurred_at AS shipped_at,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'carrier') AS carrier,
    toDecimal128OrZero(trimBoth(JSONExtractRaw(data, 'shipping_cost'), '"'), 4) AS shipping_cost,
    arrayMap(l -> JSONExtractString(l, 'sku'), JSONExtractArrayRaw(data, 'lines')) AS skus,
    arrayMap(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')) AS qtys
FROM order_events
WHERE type = 'order.shipped';

DROP VIEW IF EXISTS order_watch_facts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS order_watch_facts_mv TO order_watch_facts AS
SELECT
    order_id,
    min(if(type = 'order.created', occurred_at, NULL)) AS created_at,
    max(if(type = 'order.created', JSONExtractString(data, 'channel'), '')) AS channel,
    max(if(type = 'order.created', JSONExtractString(data, 'currency'), '')) AS currency,
    sum(if(type = 'order.created', arraySum(l -> ((JSONExtractFloat(l, 'qty') * JSONExtractFloat(l, 'unit_price')) - JSONExtractFloat(l, 'discount')), JSONExtractArrayRaw(data, 'lines')) + JSONExtractFloat(data, 'shipping_charged'), 0)) AS order_value,
    max(if(type = 'order.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'promised_ship_by'), 3, 'UTC'), NULL)) AS promised_ship_by,
    max(if(type = 'order.held', occurred_at, NULL)) AS last_held_at,
    argMaxState(JSONExtractString(data, 'reason'), if(type = 'order.held', occurred_at, toDateTime64(0, 3, 'UTC'))) AS hold_reason,
    max(if(type = 'order.released', occurred_at, NULL)) AS last_released_at,
    max(if(type = 'order.allocated', occurred_at, NULL)) AS last_allocated_at,
    argMaxState(JSONExtractString(data, 'warehouse'), if(JSONExtractString(data, 'warehouse') != '', occurred_at, toDateTime64(0, 3, 'UTC'))) AS warehouse,
    max(if(type = 'order.backordered', occurred_at, NULL)) AS last_backordered_at,
    argMaxState(JSONExtractRaw(data, 'lines'), if(type = 'order.backordered', occurred_at, toDateTime64(0, 3, 'UTC'))) AS backorder_lines,
    min(if(type = 'order.shipped', occurred_at, NULL)) AS first_shipped_at,
    min(if(type = 'order.cancelled', occurred_at, NULL)) AS cancelled_at
FROM order_events
WHERE (type IN ('order.created', 'order.held', 'order.released', 'order.allocated', 'order.backordered', 'order.shipped', 'order.cancelled')) AND (order_id != '')
GROUP BY order_id;

DROP VIEW IF EXISTS shipment_facts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS shipment_facts_mv TO shipment_facts AS
SELECT
    JSONExtractString(data, 'shipment_id') AS shipment_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'carrier')) AS carrier,
    max(JSONExtractString(data, 'warehouse')) AS warehouse,
    min(if(type = 'order.shipped', occurred_at, NULL)) AS shipped_at,
    min(if(type = 'shipment.exception', occurred_at, NULL)) AS first_exception_at,
    max(if(type = 'shipment.exception', occurred_at, NULL)) AS last_exception_at,
    argMaxState(JSONExtractString(data, 'kind'), if(type = 'shipment.exception', occurred_at, toDateTime64(0, 3, 'UTC'))) AS exception_kind,
    max(if(type = 'order.delivered', occurred_at, NULL)) AS delivered_at
FROM order_events
WHERE (type IN ('order.shipped', 'shipment.exception', 'order.delivered')) AND (JSONExtractString(data, 'shipment_id') != '')
GROUP BY shipment_id;

DROP VIEW IF EXISTS shipped_lines_mv;
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
FROM order_events
ARRAY JOIN
    JSONExtractArrayRaw(data, 'lines') AS line,
    arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE (type = 'order.shipped') AND (order_id != '');

DROP VIEW IF EXISTS stock_movements_shipped_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_shipped_mv TO stock_movements AS
SELECT
    'order.shipped' AS kind,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    occurred_at,
    -JSONExtractInt(line, 'qty') AS delta,
    '' AS return_id
FROM order_events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE type = 'order.shipped';

DROP VIEW IF EXISTS pick_completions_mv;
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
FROM pick_events
WHERE type = 'pick.completed';

DROP VIEW IF EXISTS pick_facts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS pick_facts_mv TO pick_facts AS
SELECT
    JSONExtractString(data, 'pick_id') AS pick_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'warehouse')) AS warehouse,
    min(if(type = 'pick.created', occurred_at, NULL)) AS created_at,
    max(if(type = 'pick.created', parseDateTime64BestEffortOrNull(JSONExtractString(data, 'due_by'), 3, 'UTC'), NULL)) AS due_by,
    min(if(type = 'pick.completed', occurred_at, NULL)) AS completed_at,
    sum(if(type = 'pick.completed', arraySum(l -> JSONExtractUInt(l, 'qty_required'), JSONExtractArrayRaw(data, 'lines')), 0)) AS qty_required,
    sum(if(type = 'pick.completed', arraySum(l -> JSONExtractUInt(l, 'qty_picked'), JSONExtractArrayRaw(data, 'lines')), 0)) AS qty_picked
FROM pick_events
WHERE (type IN ('pick.created', 'pick.completed')) AND (JSONExtractString(data, 'pick_id') != '')
GROUP BY pick_id;

DROP VIEW IF EXISTS cycle_counts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS cycle_counts_mv TO cycle_counts AS
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS counted_at,
    JSONExtractInt(data, 'expected_qty') AS expected_qty,
    JSONExtractInt(data, 'counted_qty') AS counted_qty
FROM stock_events
WHERE (type = 'stock.adjusted') AND (JSONExtractString(data, 'reason') = 'cycle_count') AND JSONHas(data, 'expected_qty') AND JSONHas(data, 'counted_qty');

DROP VIEW IF EXISTS po_lines_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS po_lines_mv TO po_lines AS
SELECT
    JSONExtractString(data, 'po_id') AS po_id,
    toUInt32(line_no) AS line_no,
    occurred_at AS created_at,
    JSONExtractString(data, 'supplier') AS supplier,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    JSONExtractInt(line, 'qty') AS qty,
    toDecimal128OrZero(trimBoth(JSONExtractRaw(line, 'unit_cost'), '"'), 4) AS unit_cost,
    parseDateTime64BestEffort(JSONExtractString(data, 'expected_at'), 3, 'UTC') AS expected_at
FROM stock_events
ARRAY JOIN
    JSONExtractArrayRaw(data, 'lines') AS line,
    arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE type = 'po.created';

DROP VIEW IF EXISTS po_receipts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS po_receipts_mv TO po_receipts AS
SELECT
    JSONExtractString(data, 'po_id') AS po_id,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS received_at,
    id AS event_id,
    JSONExtractInt(data, 'qty') AS qty
FROM stock_events
WHERE (type = 'stock.received') AND (JSONExtractString(data, 'po_id') != '');

DROP VIEW IF EXISTS stock_count_facts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_count_facts_mv TO stock_count_facts AS
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    max(if((type = 'stock.adjusted') AND (JSONExtractString(data, 'reason') = 'cycle_count'), occurred_at, NULL)) AS last_count_at,
    argMaxState(toInt64(JSONExtractInt(data, 'expected_qty')), if((type = 'stock.adjusted') AND (JSONExtractString(data, 'reason') = 'cycle_count'), occurred_at, toDateTime64(0, 3, 'UTC'))) AS count_expected,
    argMaxState(toInt64(JSONExtractInt(data, 'counted_qty')), if((type = 'stock.adjusted') AND (JSONExtractString(data, 'reason') = 'cycle_count'), occurred_at, toDateTime64(0, 3, 'UTC'))) AS count_counted,
    max(if((type = 'stock.adjusted') AND (JSONExtractString(data, 'reason') = 'correction'), occurred_at, NULL)) AS last_correction_at,
    argMaxState(JSONExtractFloat(data, 'unit_cost'), if(type = 'stock.received', occurred_at, toDateTime64(0, 3, 'UTC'))) AS unit_cost
FROM stock_events
WHERE (type IN ('stock.adjusted', 'stock.received')) AND (JSONExtractString(data, 'sku') != '')
GROUP BY
    warehouse,
    sku;

DROP VIEW IF EXISTS stock_levels_hourly_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_levels_hourly_mv TO stock_levels_hourly AS
SELECT
    toStartOfHour(occurred_at) AS hour,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    argMaxState(toInt64(JSONExtractInt(data, 'on_hand')), occurred_at) AS on_hand,
    argMaxState(toInt64(JSONExtractInt(data, 'reserved')), occurred_at) AS reserved
FROM stock_events
WHERE type = 'stock.snapshot'
GROUP BY
    hour,
    warehouse,
    sku;

DROP VIEW IF EXISTS stock_movements_adjusted_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_adjusted_mv TO stock_movements AS
SELECT
    'stock.adjusted' AS kind,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at,
    JSONExtractInt(data, 'qty_delta') AS delta,
    '' AS return_id
FROM stock_events
WHERE type = 'stock.adjusted';

DROP VIEW IF EXISTS stock_movements_received_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_received_mv TO stock_movements AS
SELECT
    'stock.received' AS kind,
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at,
    JSONExtractInt(data, 'qty') AS delta,
    '' AS return_id
FROM stock_events
WHERE type = 'stock.received';

DROP VIEW IF EXISTS stock_movements_transferred_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_transferred_mv TO stock_movements AS
SELECT
    'stock.transferred' AS kind,
    leg.1 AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at,
    leg.2 AS delta,
    '' AS return_id
FROM stock_events
ARRAY JOIN [(JSONExtractString(data, 'from_warehouse'), -JSONExtractInt(data, 'qty')), (JSONExtractString(data, 'to_warehouse'), JSONExtractInt(data, 'qty'))] AS leg
WHERE type = 'stock.transferred';

DROP VIEW IF EXISTS stock_receipts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_receipts_mv TO stock_receipts AS
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS received_at,
    id AS event_id,
    JSONExtractInt(data, 'qty') AS qty,
    toDecimal128OrZero(trimBoth(JSONExtractRaw(data, 'unit_cost'), '"'), 4) AS unit_cost,
    JSONExtractString(data, 'po_id') AS po_id
FROM stock_events
WHERE type = 'stock.received';

DROP VIEW IF EXISTS stock_snapshots_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_snapshots_mv TO stock_snapshots AS
SELECT
    JSONExtractString(data, 'warehouse') AS warehouse,
    JSONExtractString(data, 'sku') AS sku,
    occurred_at AS at,
    JSONExtractInt(data, 'on_hand') AS on_hand,
    JSONExtractInt(data, 'reserved') AS reserved
FROM stock_events
WHERE type = 'stock.snapshot';

DROP VIEW IF EXISTS after_sales_links_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS after_sales_links_mv TO after_sales_links AS
SELECT
    link.1 AS from_kind,
    link.2 AS from_id,
    link.3 AS to_kind,
    link.4 AS to_id
FROM after_sales_events
ARRAY JOIN [('order', order_id, 'return', if(type = 'return.requested', JSONExtractString(data, 'return_id'), '')), ('return', if(type = 'return.requested', JSONExtractString(data, 'return_id'), ''), 'order', order_id), ('order', order_id, 'refund', if(type LIKE 'refund.%', JSONExtractString(data, 'refund_id'), '')), ('return', if(type LIKE 'refund.%', JSONExtractString(data, 'return_id'), ''), 'refund', JSONExtractString(data, 'refund_id'))] AS link
WHERE (type IN ('return.requested', 'refund.requested', 'refund.issued')) AND ((link.2) != '') AND ((link.4) != '');

DROP VIEW IF EXISTS order_return_reasons_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS order_return_reasons_mv TO order_return_reasons AS
SELECT
    order_id,
    JSONExtractString(data, 'return_id') AS return_id,
    occurred_at AS requested_at,
    arrayMap(l -> JSONExtractString(l, 'reason_code'), JSONExtractArrayRaw(data, 'lines')) AS reason_codes
FROM after_sales_events
WHERE (type = 'return.requested') AND (order_id != '');

DROP VIEW IF EXISTS refund_facts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS refund_facts_mv TO refund_facts AS
SELECT
    JSONExtractString(data, 'refund_id') AS refund_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'return_id')) AS return_id,
    max(if(type = 'refund.requested', JSONExtractFloat(data, 'amount'), 0)) AS amount,
    min(if(type = 'refund.requested', occurred_at, NULL)) AS requested_at,
    min(if(type = 'refund.approved', occurred_at, NULL)) AS approved_at,
    min(if(type = 'refund.rejected', occurred_at, NULL)) AS rejected_at,
    min(if(type = 'refund.issued', occurred_at, NULL)) AS issued_at,
    sum(if(type = 'refund.issued', JSONExtractFloat(data, 'amount'), 0)) AS issued_amount
FROM after_sales_events
WHERE (type IN ('refund.requested', 'refund.approved', 'refund.rejected', 'refund.issued')) AND (JSONExtractString(data, 'refund_id') != '')
GROUP BY refund_id;

DROP VIEW IF EXISTS return_facts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS return_facts_mv TO return_facts AS
SELECT
    JSONExtractString(data, 'return_id') AS return_id,
    max(order_id) AS order_id,
    min(if(type = 'return.requested', occurred_at, NULL)) AS requested_at,
    sum(if(type = 'return.requested', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_requested,
    toUInt8(max(type = 'return.rejected')) AS rejected,
    min(if(type = 'return.rejected', occurred_at, NULL)) AS rejected_at,
    min(if(type = 'return.received', occurred_at, NULL)) AS received_at,
    sum(if(type = 'return.received', arraySum(l -> JSONExtractUInt(l, 'qty'), JSONExtractArrayRaw(data, 'lines')), 0)) AS units_received
FROM after_sales_events
WHERE type IN ('return.requested', 'return.rejected', 'return.received')
GROUP BY return_id;

DROP VIEW IF EXISTS return_lines_mv;
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
    toDecimal128OrNull(trimBoth(JSONExtractRaw(line, 'recovery_value'), '"'), 4) AS recovery_value
FROM after_sales_events
ARRAY JOIN
    JSONExtractArrayRaw(data, 'lines') AS line,
    arrayEnumerate(JSONExtractArrayRaw(data, 'lines')) AS line_no
WHERE (type IN ('return.requested', 'return.received', 'return.inspected')) AND (JSONExtractString(data, 'return_id') != '');

DROP VIEW IF EXISTS return_watch_facts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS return_watch_facts_mv TO return_watch_facts AS
SELECT
    JSONExtractString(data, 'return_id') AS return_id,
    max(order_id) AS order_id,
    max(JSONExtractString(data, 'warehouse')) AS warehouse,
    min(if(type = 'return.received', occurred_at, NULL)) AS received_at,
    min(if(type = 'return.inspected', occurred_at, NULL)) AS inspected_at,
    min(if(type = 'return.rejected', occurred_at, NULL)) AS rejected_at
FROM after_sales_events
WHERE (type IN ('return.requested', 'return.received', 'return.inspected', 'return.rejected')) AND (JSONExtractString(data, 'return_id') != '')
GROUP BY return_id;

DROP VIEW IF EXISTS stock_movements_restocked_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_movements_restocked_mv TO stock_movements AS
SELECT
    'return.inspected' AS kind,
    '' AS warehouse,
    JSONExtractString(line, 'sku') AS sku,
    occurred_at,
    JSONExtractInt(line, 'qty') AS delta,
    JSONExtractString(data, 'return_id') AS return_id
FROM after_sales_events
ARRAY JOIN JSONExtractArrayRaw(data, 'lines') AS line
WHERE (type = 'return.inspected') AND (JSONExtractString(line, 'disposition') = 'restock');

-- The entries last: nothing reaches the facts views above before each reads its entry.
CREATE MATERIALIZED VIEW IF NOT EXISTS order_events_mv TO order_events AS
SELECT * FROM events WHERE type LIKE 'order.%' OR type LIKE 'shipment.%';
CREATE MATERIALIZED VIEW IF NOT EXISTS pick_events_mv TO pick_events AS
SELECT * FROM events WHERE type LIKE 'pick.%';
CREATE MATERIALIZED VIEW IF NOT EXISTS stock_events_mv TO stock_events AS
SELECT * FROM events WHERE type LIKE 'stock.%' OR type LIKE 'po.%';
CREATE MATERIALIZED VIEW IF NOT EXISTS after_sales_events_mv TO after_sales_events AS
SELECT * FROM events WHERE type LIKE 'return.%' OR type LIKE 'refund.%';
