-- A retried insert (the gateway retries a write whose answer was lost) carries the same
-- deduplication token, and `events` stores it once — but the views fed by it wrote their rows
-- again: stock_movements and stock_snapshots (plain MergeTree) would count a movement twice and
-- the stock-drift rule see a drift that is not there, and the ledger's sums add a retried pass
-- twice. Inserts now ask the views' tables to deduplicate too
-- (deduplicate_blocks_in_dependent_materialized_views, in analytics/clickhouse.ts), which a table
-- does only with a deduplication window of its own: every table a view writes, and the ledger's
-- contributions (inserted with a token of each pass's own).
ALTER TABLE after_sales_links MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE backorder_lines MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE cycle_counts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE event_freshness MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE kpi_ledger_contributions MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE kpi_ledger_daily MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE kpi_ledger_daily_slices MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE kpi_ledger_hourly_slices MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE kpi_ledger_monthly MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE order_lines MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE order_milestones MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE order_return_reasons MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE order_shipments MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE order_watch_facts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE pick_completions MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE pick_facts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE po_lines MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE po_receipts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE products MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE refund_facts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE return_facts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE return_lines MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE return_watch_facts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE shipment_facts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE shipped_lines MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE stock_count_facts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE stock_levels_hourly MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE stock_movements MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE stock_receipts MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE stock_snapshots MODIFY SETTING non_replicated_deduplication_window = 1000;
