-- The monthly KPI ledger summed per single slice, as kpi_ledger_daily_slices is for days. A level
-- metric's balance at the start of a range (open backlog, stock on hand) sums every month before
-- it; read from kpi_ledger_monthly that is every combination of channel, region, warehouse,
-- category, carrier and supplier seen in each month, and combinations fill in as volume grows
-- (15,707 rows for a 30-day board at 10 M events). Here it is a few rows per metric and month,
-- whatever the volume (analytics/kpis/ledger/read-ledger.ts). `dimension` '' (with `slice` '')
-- holds the totals. Fed from kpi_ledger_hourly, as the other sums are, so corrections and
-- rebuilds reach it the same way; with a deduplication window, as every table a view fills
-- (migration 034).
CREATE TABLE IF NOT EXISTS kpi_ledger_monthly_slices
(
    dimension LowCardinality(String),
    slice     LowCardinality(String),
    metric    LowCardinality(String),
    month     Date,
    detail    LowCardinality(String),
    bucket    Int32,
    value     Decimal(38, 4)
)
ENGINE = SummingMergeTree(value)
ORDER BY (dimension, slice, metric, month, detail, bucket)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_ledger_monthly_slices_mv TO kpi_ledger_monthly_slices AS
SELECT pair.1 AS dimension, pair.2 AS slice, metric, toStartOfMonth(hour) AS month, detail, bucket, sum(value) AS value
FROM kpi_ledger_hourly
ARRAY JOIN [('', ''), ('channel', channel), ('region', region), ('warehouse', warehouse), ('category', category), ('carrier', carrier), ('supplier', supplier)] AS pair
GROUP BY dimension, slice, metric, month, detail, bucket;

-- The ledger written before this migration; only into an empty table, so a migration cut short
-- and run again does not count it twice.
INSERT INTO kpi_ledger_monthly_slices
SELECT pair.1 AS dimension, pair.2 AS slice, metric, month, detail, bucket, sum(value) AS value
FROM kpi_ledger_monthly
ARRAY JOIN [('', ''), ('channel', channel), ('region', region), ('warehouse', warehouse), ('category', category), ('carrier', carrier), ('supplier', supplier)] AS pair
WHERE (SELECT count() FROM kpi_ledger_monthly_slices) = 0
GROUP BY dimension, slice, metric, month, detail, bucket
HAVING value != 0;
