import { z } from 'zod';
import { addUtcDays } from '../ch-time';
import type { Analytics } from '../clickhouse';
import { FILTER_DIMENSIONS, type FilterDimension } from '../kpis/board-view';

const rowSchema = z.object({ dimension: z.enum(FILTER_DIMENSIONS), value: z.string() });

/** How far back the filters look for values: a warehouse idle for longer is not offered. */
const OFFERED_DAYS = 90;

/**
 * The values the board's filters offer: every channel, warehouse, region and category the KPI
 * ledger holds for the 90 days before `asOf` and since. Reads the per-slice daily sums, never `events`.
 */
export async function getBoardFilterOptions(a: Analytics, asOf: Date): Promise<Record<FilterDimension, string[]>> {
  const since = addUtcDays(asOf, -OFFERED_DAYS);
  const rows = await a.query({
    name: 'board.filter-options',
    sql: `SELECT toString(dimension) AS dimension, toString(slice) AS value
FROM kpi_ledger_daily_slices
WHERE dimension IN ('channel', 'warehouse', 'region', 'category') AND slice != '' AND day >= {since:Date}
GROUP BY dimension, slice
ORDER BY dimension, slice
LIMIT 2000`,
    params: { since: since.toISOString().slice(0, 10) },
    schema: rowSchema,
  });
  const options: Record<FilterDimension, string[]> = { channel: [], warehouse: [], region: [], category: [] };
  for (const r of rows) options[r.dimension].push(r.value);
  return options;
}
