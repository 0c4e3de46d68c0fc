-- What each entity last contributed to the KPI ledger, so that the ledger worker can diff an
-- entity's contribution now against it without reading anything before the events insert
-- (analytics/kpis/ledger). Rows are signed differences summed per entity and ledger key: an
-- entity's contribution is the sum of its rows, and rows that cancel out are merged away.
-- The ledger itself is fed from this table by a view, in the same insert: the contributions and
-- the ledger's sums cannot drift apart, and an entity can be diffed again at any time (a retry
-- or a recovery after a restart adds nothing when nothing changed).
CREATE TABLE IF NOT EXISTS kpi_ledger_contributions
(
    family     LowCardinality(String),
    entity_key String,
    metric     LowCardinality(String),
    hour       DateTime('UTC'),
    channel    LowCardinality(String),
    region     LowCardinality(String),
    warehouse  LowCardinality(String),
    category   LowCardinality(String),
    carrier    LowCardinality(String),
    supplier   LowCardinality(String),
    detail     LowCardinality(String),
    bucket     Int32,
    value      Decimal(38, 4)
)
ENGINE = SummingMergeTree(value)
PARTITION BY family
ORDER BY (family, entity_key, metric, hour, channel, region, warehouse, category, carrier, supplier, detail, bucket);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_ledger_contributions_mv TO kpi_ledger_hourly AS
SELECT metric, hour, channel, region, warehouse, category, carrier, supplier, detail, bucket, sum(value) AS value
FROM kpi_ledger_contributions
GROUP BY metric, hour, channel, region, warehouse, category, carrier, supplier, detail, bucket;

-- How far the ledger worker has come: every event received before `applied_through` is in the
-- ledger. After a restart the worker re-checks the entities of events received since then.
CREATE TABLE IF NOT EXISTS kpi_ledger_progress
(
    worker          String,
    applied_through DateTime64(3, 'UTC'),
    saved_at        DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(saved_at)
ORDER BY worker;
