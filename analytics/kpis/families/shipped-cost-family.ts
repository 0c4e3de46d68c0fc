import { compositeKey } from '@/lib/composite-key';
import { dataField, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import {
  compositeKeyFilter,
  compositeKeySql,
  keysOfSkus,
  PRODUCT_DIMENSION_SQL,
  updatedSkus,
} from './stock-family-keys';

const DAY_SQL = 'toString(toDate(occurred_at))';

/**
 * Cost of goods shipped (for inventory turns): units leaving a warehouse on `order.shipped`,
 * at the SKU's current standard cost (product.updated unit_cost; 0 when none was sent), booked at
 * the hour of shipment. The same cost values the inventory (stock-positions-family.ts), so turns
 * compare like with like. Entity: a SKU's shipments from one warehouse on one day.
 */
export const shippedCostFamily: LedgerFamily = {
  entity: 'shipped-cost',
  keys: 'stock-position-day',
  metrics: ['stock.cogs'],

  async touchedBy(rows, analytics) {
    const shipped = rows
      .filter((r) => r.type === 'order.shipped')
      .flatMap((r) => {
        const lines = (r.data as { lines?: unknown }).lines;
        if (!Array.isArray(lines)) return [];
        const day = r.occurred_at.slice(0, 10);
        return lines.map((line: unknown) => {
          const sku = typeof line === 'object' && line !== null && 'sku' in line ? String(line.sku) : '';
          return compositeKey(dataField(r, 'warehouse'), sku, day);
        });
      });
    const revalued = await keysOfSkus(
      analytics,
      'kpi-ledger.shipped-cost.days-of-skus',
      `SELECT DISTINCT ${compositeKeySql('warehouse', 'sku', DAY_SQL)} AS key
FROM stock_movements WHERE kind = 'order.shipped' AND sku IN {skus:Array(String)}`,
      updatedSkus(rows),
    );
    return [...shipped, ...revalued];
  },

  contributionsSql(scope: EntityScope) {
    return `SELECT
    ${compositeKeySql('m.warehouse', 'm.sku', 'toString(toDate(m.occurred_at))')} AS entity_key,
    'stock.cogs' AS metric,
    m.occurred_at AS hour,
    '' AS channel,
    '' AS region,
    m.warehouse AS warehouse,
    p.category AS category,
    '' AS carrier,
    '' AS supplier,
    '' AS detail,
    0 AS bucket,
    toDecimal128(-m.delta * ifNull(p.unit_cost, toDecimal128(0, 4)), 4) AS value
FROM
(
    SELECT warehouse, sku, occurred_at, delta FROM stock_movements
    WHERE kind = 'order.shipped' AND ${compositeKeyFilter(['warehouse', 'sku', DAY_SQL], scope)}
) AS m
LEFT JOIN ${PRODUCT_DIMENSION_SQL} AS p ON p.sku = m.sku
WHERE value != 0`;
  },
};
