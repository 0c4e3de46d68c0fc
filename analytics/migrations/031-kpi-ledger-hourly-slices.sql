-- The hourly KPI ledger summed per single slice, as kpi_ledger_daily_slices is for days: the
-- partial days at either end of a range (today, and the same hours of the range before) — what a
-- live board reads on every pass of the ledger worker — read a few rows per metric and hour here
-- when the view has one filter at most. `dimension` '' (with `slice` '') holds the totals.
CREATE TABLE IF NOT EXISTS kpi_ledger_hourly_slices
(
    dimension LowCardinality(String),
    slice     LowCardinality(String),
    metric    LowCardinality(String),
    hour      DateTime('UTC'),
    detail    LowCardinality(String),
    bucket    Int32,
    value     Decimal(38, 4)
)
ENGINE = SummingMergeTree(value)
PARTITION BY toYYYYMM(hour)
ORDER BY (dimension, slice, metric, hour, detail, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_ledger_hourly_slices_mv TO kpi_ledger_hourly_slices AS
SELECT pair.1 AS dimension, pair.2 AS slice, metric, hour, detail, bucket, sum(value) AS value
FROM kpi_ledger_hourly
ARRAY JOIN [('', ''), ('channel', channel), ('region', region), ('warehouse', warehouse), ('category', category), ('carrier', carrier), ('supplier', supplier)] AS pair
GROUP BY dimension, slice, metric, hour, detail, bucket;

-- The ledger written before this migration; only into an empty table, so a migration cut short
-- and run again does not count it twice.
INSERT INTO kpi_ledger_hourly_slices
SELECT pair.1 AS dimension, pair.2 AS slice, metric, hour, detail, bucket, sum(value) AS value
FROM kpi_ledger_hourly
ARRAY JOIN [('', ''), ('channel', channel), ('region', region), ('warehouse', warehouse), ('category', category), ('carrier', carrier), ('supplier', supplier)] AS pair
WHERE (SELECT count() FROM kpi_ledger_hourly_slices) = 0
GROUP BY dimension, slice, metric, hour, detail, bucket
HAVING value != 0;
