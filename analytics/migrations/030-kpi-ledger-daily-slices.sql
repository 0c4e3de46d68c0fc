-- The daily KPI ledger summed per single slice. The board's usual views — no filter, or one —
-- and its breakdowns by one dimension read a few rows per metric and day here instead of every
-- combination of channel, region, warehouse, category, carrier and supplier in kpi_ledger_daily
-- (analytics/kpis/ledger/read-ledger.ts). `dimension` '' (with `slice` '') holds the totals.
-- Fed from kpi_ledger_hourly, as the daily table is, so corrections and rebuilds reach it the
-- same way.
CREATE TABLE IF NOT EXISTS kpi_ledger_daily_slices
(
    dimension LowCardinality(String),
    slice     LowCardinality(String),
    metric    LowCardinality(String),
    day       Date,
    detail    LowCardinality(String),
    bucket    Int32,
    value     Decimal(38, 4)
)
ENGINE = SummingMergeTree(value)
PARTITION BY toYYYYMM(day)
ORDER BY (dimension, slice, metric, day, detail, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_ledger_daily_slices_mv TO kpi_ledger_daily_slices AS
SELECT pair.1 AS dimension, pair.2 AS slice, metric, toDate(hour) AS day, detail, bucket, sum(value) AS value
FROM kpi_ledger_hourly
ARRAY JOIN [('', ''), ('channel', channel), ('region', region), ('warehouse', warehouse), ('category', category), ('carrier', carrier), ('supplier', supplier)] AS pair
GROUP BY dimension, slice, metric, day, detail, bucket;

-- The ledger written before this migration (migrations run before the server takes events);
-- only into an empty table, so a migration cut short and run again does not count it twice.
INSERT INTO kpi_ledger_daily_slices
SELECT pair.1 AS dimension, pair.2 AS slice, metric, day, detail, bucket, sum(value) AS value
FROM kpi_ledger_daily
ARRAY JOIN [('', ''), ('channel', channel), ('region', region), ('warehouse', warehouse), ('category', category), ('carrier', carrier), ('supplier', supplier)] AS pair
WHERE (SELECT count() FROM kpi_ledger_daily_slices) = 0
GROUP BY dimension, slice, metric, day, detail, bucket
HAVING value != 0;
