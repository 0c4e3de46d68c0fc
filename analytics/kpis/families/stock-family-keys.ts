import { z } from 'zod';
import type { Analytics } from '../../clickhouse';
import { dataField, partFilter, type EntityScope, type LedgerEventRow } from '../ledger/ledger-family';

/** Stock entities' keys (warehouse, SKU[, day]) are composite keys; see lib/composite-key.ts. */
const SEPARATOR_SQL = "'\\x1F'";

/** The SQL expression of a composite key, from the columns that make it. */
export function compositeKeySql(...columns: string[]): string {
  return `concat(${columns.join(`, ${SEPARATOR_SQL}, `)})`;
}

/**
 * The WHERE condition restricting rows to the bound composite keys, written as a tuple IN so that
 * the engine can use a primary key that starts with these columns (a concat() IN could not).
 */
export function compositeKeyFilter(columns: readonly string[], scope: EntityScope): string {
  if (scope === 'all') return '1 = 1';
  if (scope !== 'keys') return partFilter(compositeKeySql(...columns), scope);
  const parts = columns.map((_, i) => `k[${i + 1}]`).join(', ');
  return `(${columns.join(', ')}) IN (SELECT ${parts} FROM (SELECT splitByChar(${SEPARATOR_SQL}, arrayJoin({keys:Array(String)})) AS k))`;
}

/**
 * The product dimension as of now, per SKU, to join on `sku`: category (slices), value class
 * (count tolerance) and standard unit cost (stock valued at cost). A `product.updated` that leaves
 * out the cost keeps the last cost sent (aggregates skip NULLs).
 */
export const PRODUCT_DIMENSION_SQL = `(SELECT sku, argMax(category, updated_at) AS category, argMax(value_class, updated_at) AS value_class,
    argMax(unit_cost, updated_at) AS unit_cost FROM products GROUP BY sku)`;

/** SKUs whose product dimension the rows change (their category, class or cost moves the numbers). */
export function updatedSkus(rows: readonly LedgerEventRow[]): string[] {
  return [...new Set(rows.filter((r) => r.type === 'product.updated').map((r) => dataField(r, 'sku')))].filter(
    (sku) => sku !== '',
  );
}

const keyRowSchema = z.object({ key: z.string() });

/**
 * Keys of the existing entities that involve the given SKUs: `sql` selects a column `key` and
 * binds `{skus:Array(String)}`. No query when there are none (product updates are rare).
 */
export async function keysOfSkus(analytics: Analytics, name: string, sql: string, skus: string[]): Promise<string[]> {
  if (skus.length === 0) return [];
  const rows = await analytics.query({ name, sql, params: { skus }, schema: keyRowSchema, timeoutMs: 60_000 });
  return rows.map((r) => r.key);
}
