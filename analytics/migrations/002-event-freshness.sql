-- How fresh the stored data is, per source, without scanning `events`: the board and the health
-- route read the latest business time (occurred_at) and the latest flush (received_at) from here.
CREATE TABLE IF NOT EXISTS event_freshness
(
    source           LowCardinality(String),
    last_occurred_at SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    last_received_at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY source;

-- Rollups only see inserts made after their view exists, so events already stored are folded in
-- once, before the view is created (guarded so a re-run after a failure cannot count twice).
INSERT INTO event_freshness
SELECT source, max(occurred_at), max(received_at)
FROM events
WHERE (SELECT count() FROM event_freshness) = 0
GROUP BY source;

CREATE MATERIALIZED VIEW IF NOT EXISTS event_freshness_mv TO event_freshness AS
SELECT source, max(occurred_at) AS last_occurred_at, max(received_at) AS last_received_at
FROM events
GROUP BY source;
