import { z } from 'zod';
import type { Analytics } from '../../analytics/clickhouse';
import type { LedgerFamily } from '../../analytics/kpis/ledger/ledger-family';
import type { LedgerSource } from '../../analytics/kpis/ledger/read-ledger';

const viewSchema = z.object({ name: z.string(), as_select: z.string(), create_table_query: z.string() });

/**
 * The board's numbers without rollups, for bench:board's baseline: every facts table that a
 * materialized view fills from `events` is replaced by a plain view running that same SELECT over
 * all of `events`, and the ledger by the families' contributions over those views. Same
 * definitions, no precomputation.
 */
export async function rawLedgerSource(a: Analytics, families: readonly LedgerFamily[]): Promise<LedgerSource> {
  const views = await a.query({
    name: 'bench.list-views',
    sql: "SELECT name, as_select, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'",
    schema: viewSchema,
  });
  const facts: string[] = [];
  for (const view of views) {
    if (!/\bFROM\s+(\w+\.)?events\b/i.test(view.as_select)) continue;
    const target = /\bTO\s+(?:\w+\.)?(\w+)/i.exec(view.create_table_query)?.[1];
    if (!target || target === 'events' || target === 'event_ids') continue;
    await a.command({ name: 'bench.raw-view', sql: `CREATE OR REPLACE VIEW raw_${target} AS ${view.as_select}` });
    facts.push(target);
  }
  const pattern = new RegExp(`\\b(FROM|JOIN)(\\s+)(${facts.join('|')})\\b(\\s+FINAL)?`, 'gi');
  const contributions = families
    .map(
      (f) =>
        `SELECT metric, hour, channel, region, warehouse, category, carrier, supplier, detail, bucket, value FROM (${f.contributionsSql('all').replace(pattern, '$1$2raw_$3')})`,
    )
    .join('\nUNION ALL\n');
  // A view keeps each board statement under the engine's query-size limit.
  await a.command({ name: 'bench.raw-ledger', sql: `CREATE OR REPLACE VIEW raw_kpi_ledger AS ${contributions}` });
  const columns = 'metric, channel, region, warehouse, category, carrier, supplier, detail, bucket, value';
  return {
    monthly: `(SELECT toStartOfMonth(hour) AS month, ${columns} FROM raw_kpi_ledger)`,
    hourly: `(SELECT toStartOfHour(hour) AS hour, ${columns} FROM raw_kpi_ledger)`,
    daily: `(SELECT toDate(hour) AS day, ${columns} FROM raw_kpi_ledger)`,
  };
}
