-- Monthly sums of the KPI ledger. A level metric (a running total since the ledger began: open
-- backlog, stock on hand) is read as of an instant, so its sum spans all of history; whole months
-- of it come from here, a few rows per slice and month, and only the rest of the range from the
-- daily and hourly tables (analytics/kpis/ledger/read-ledger.ts). Fed from kpi_ledger_hourly, as
-- the daily table is, so corrections and rebuilds reach it the same way.
CREATE TABLE IF NOT EXISTS kpi_ledger_monthly
(
    metric    LowCardinality(String),
    month     Date,
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
ORDER BY (metric, month, channel, region, warehouse, category, carrier, supplier, detail, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_ledger_monthly_mv TO kpi_ledger_monthly AS
SELECT metric, toStartOfMonth(hour) AS month, channel, region, warehouse, category, carrier, supplier, detail, bucket, sum(value) AS value
FROM kpi_ledger_hourly
GROUP BY metric, month, channel, region, warehouse, category, carrier, supplier, detail, bucket;

-- The ledger written before this migration (migrations run before the server takes events).
INSERT INTO kpi_ledger_monthly
SELECT metric, toStartOfMonth(hour) AS month, channel, region, warehouse, category, carrier, supplier, detail, bucket, sum(value) AS value
FROM kpi_ledger_hourly
GROUP BY metric, month, channel, region, warehouse, category, carrier, supplier, detail, bucket
HAVING value != 0;
