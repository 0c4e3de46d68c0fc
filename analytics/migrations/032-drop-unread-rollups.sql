-- The first rollups (003 hourly orders, 004 hourly shipments, 005 order facts) have no reader
-- since the KPI ledger took over: every insert into `events` still fed them, three of the
-- materialized views each write costs. The ledger's facts (order_lines, order_shipments,
-- order_milestones) hold what they held.
DROP VIEW IF EXISTS orders_hourly_mv;
DROP VIEW IF EXISTS shipments_hourly_mv;
DROP VIEW IF EXISTS order_facts_mv;
DROP TABLE IF EXISTS orders_hourly;
DROP TABLE IF EXISTS shipments_hourly;
DROP TABLE IF EXISTS order_facts;
