-- Every accepted event, exactly once. `data` holds the validated type-specific payload as JSON;
-- `attrs` the fields a producer sent that the contract does not know (kept, never rejected).
CREATE TABLE IF NOT EXISTS events
(
    id          String,
    type        LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    source      LowCardinality(String),
    order_id    String,
    data        String,
    attrs       String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (type, occurred_at, id)
SETTINGS non_replicated_deduplication_window = 1000;

-- The dedupe index: one row per id ever accepted, looked up by primary key before each insert.
CREATE TABLE IF NOT EXISTS event_ids
(
    id          String,
    received_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY id
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS event_ids_mv TO event_ids AS
SELECT id, received_at FROM events;

-- Events that failed validation, with the reason and the payload exactly as received.
CREATE TABLE IF NOT EXISTS dead_letters
(
    received_at DateTime64(3, 'UTC'),
    source      LowCardinality(String),
    event_id    String,
    event_type  String,
    reason      String,
    payload     String
)
ENGINE = MergeTree
ORDER BY received_at
SETTINGS non_replicated_deduplication_window = 1000;
