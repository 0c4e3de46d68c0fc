-- Drill-through pages look up one order, return, refund or SKU among every event stored. `events`
-- is sorted by (type, occurred_at), so without help each lookup would read the whole table. The
-- references that live inside `data` are materialised as columns, and each reference gets a
-- bloom filter per granule: a lookup reads only the granules that may hold the id.
-- `skus` gathers the top-level `sku` of stock events and the `sku` of every line.
ALTER TABLE events ADD COLUMN IF NOT EXISTS return_id String MATERIALIZED JSONExtractString(data, 'return_id');

ALTER TABLE events ADD COLUMN IF NOT EXISTS refund_id String MATERIALIZED JSONExtractString(data, 'refund_id');

ALTER TABLE events ADD COLUMN IF NOT EXISTS skus Array(String) MATERIALIZED arrayFilter(s -> s != '', arrayDistinct(arrayPushFront(arrayMap(l -> JSONExtractString(l, 'sku'), JSONExtractArrayRaw(data, 'lines')), JSONExtractString(data, 'sku'))));

ALTER TABLE events ADD INDEX IF NOT EXISTS events_order_id_bloom order_id TYPE bloom_filter(0.01) GRANULARITY 1;

ALTER TABLE events ADD INDEX IF NOT EXISTS events_return_id_bloom return_id TYPE bloom_filter(0.01) GRANULARITY 1;

ALTER TABLE events ADD INDEX IF NOT EXISTS events_refund_id_bloom refund_id TYPE bloom_filter(0.01) GRANULARITY 1;

ALTER TABLE events ADD INDEX IF NOT EXISTS events_skus_bloom skus TYPE bloom_filter(0.01) GRANULARITY 1;

-- Parts written before this migration get the columns and the indexes too. These are mutations
-- the engine runs in the background: the start is not held up, and lookups stay correct meanwhile
-- (a part without a materialised column computes it on read; a part without an index is read whole).
ALTER TABLE events MATERIALIZE COLUMN return_id;

ALTER TABLE events MATERIALIZE COLUMN refund_id;

ALTER TABLE events MATERIALIZE COLUMN skus;

ALTER TABLE events MATERIALIZE INDEX events_order_id_bloom;

ALTER TABLE events MATERIALIZE INDEX events_return_id_bloom;

ALTER TABLE events MATERIALIZE INDEX events_refund_id_bloom;

ALTER TABLE events MATERIALIZE INDEX events_skus_bloom;
