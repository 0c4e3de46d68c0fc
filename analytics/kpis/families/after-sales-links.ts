import { z } from 'zod';
import type { Analytics } from '../../clickhouse';

export type LinkedKind = 'order' | 'return' | 'refund';

const rowSchema = z.object({ to_id: z.string() });

/**
 * The returns or refunds of some orders, the refunds of some returns, or the orders of some
 * returns (migration 026), by primary key, in one query: for touchedBy, whose events do not name
 * every entity they change. Links come from events already stored; a link made in the same batch
 * is the batch's own row, which names its entity itself.
 */
export async function linkedIds(
  analytics: Analytics,
  link: { to: LinkedKind; from: readonly { kind: LinkedKind; ids: readonly string[] }[] },
): Promise<string[]> {
  const froms = link.from
    .map((f) => ({ kind: f.kind, ids: [...new Set(f.ids)].filter((id) => id !== '') }))
    .filter((f) => f.ids.length > 0);
  if (froms.length === 0) return [];
  const params: Record<string, unknown> = { to: link.to };
  const conditions = froms.map((f, i) => {
    params[`kind${i}`] = f.kind;
    params[`ids${i}`] = f.ids;
    return `(from_kind = {kind${i}:String} AND from_id IN {ids${i}:Array(String)})`;
  });
  const rows = await analytics.query({
    name: `kpi-ledger.links-to-${link.to}`,
    sql: `SELECT DISTINCT to_id FROM after_sales_links
WHERE (${conditions.join(' OR ')}) AND to_kind = {to:String}`,
    params,
    schema: rowSchema,
  });
  return rows.map((r) => r.to_id);
}
