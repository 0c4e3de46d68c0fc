-- The KPI ledger: every board number is a sum over it (analytics/kpis). Facts that span several
-- events (an order's cycle time needs its creation and its first shipment) cannot be rolled up
-- by a materialized view on one insert, so the ingest writer keeps the ledger instead: for the
-- entities a batch touches it reads their contribution before and after the insert and adds the
-- difference (analytics/kpis/ledger). Rows therefore carry signed values, and a sum over any
-- slice is exact whatever order events arrived in. `bucket` holds a log-scale duration bucket
-- for the metrics whose percentiles the board shows (a mergeable and subtractable sketch), else 0.
-- The hourly table serves partial days (today, and the same hours of the range before);
-- the daily one, fed from it, serves whole days.
CREATE TABLE IF NOT EXISTS kpi_ledger_hourly
(
    metric    LowCardinality(String),
    hour      DateTime('UTC'),
    channel   LowCardinality(String),
    region    LowCardinality(String),
    warehouse LowCardinality(String),
    category  LowCardinality(String),
    carrier   LowCardinality(String),
    supplier  LowCardinality(String),
    detail    LowCardinality(String),
    bucket    Int32,
    value     Decimal(38, 4)
)
ENGINE = SummingMergeTree(value)
PARTITION BY toYYYYMM(hour)
ORDER BY (metric, hour, channel, region, warehouse, category, carrier, supplier, detail, bucket)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS kpi_ledger_daily
(
    metric    LowCardinality(String),
    day       Date,
    channel   LowCardinality(String),
    region    LowCardinality(String),
    warehouse LowCardinality(String),
    category  LowCardinality(String),
    carrier   LowCardinality(String),
    supplier  LowCardinality(String),
    detail    LowCardinality(String),
    bucket    Int32,
    value     Decimal(38, 4)
)
ENGINE = SummingMergeTree(value)
PARTITION BY toYYYYMM(day)
ORDER BY (metric, day, channel, region, warehouse, category, carrier, supplier, detail, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_ledger_daily_mv TO kpi_ledger_daily AS
SELECT metric, toDate(hour) AS day, channel, region, warehouse, category, carrier, supplier, detail, bucket, sum(value) AS value
FROM kpi_ledger_hourly
GROUP BY metric, day, channel, region, warehouse, category, carrier, supplier, detail, bucket;

-- Which SQL each ledger family was last built with: a family whose contribution SQL changed is
-- rebuilt from the facts tables before the next write (analytics/kpis/ledger/kpi-ledger.ts).
CREATE TABLE IF NOT EXISTS kpi_ledger_builds
(
    family   String,
    checksum String,
    built_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(built_at)
ORDER BY family;
