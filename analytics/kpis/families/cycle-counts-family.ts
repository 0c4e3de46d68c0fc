import { compositeKey } from '@/lib/composite-key';
import { dataField, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import {
  compositeKeyFilter,
  compositeKeySql,
  keysOfSkus,
  PRODUCT_DIMENSION_SQL,
  updatedSkus,
} from './stock-family-keys';

/**
 * Inventory accuracy: every cycle count of a SKU at a warehouse, booked at the hour it was taken,
 * and whether it was within the tolerance of the SKU's value class. Each count is judged on its
 * own absolute variance, so an overcount of one SKU never offsets an undercount of another.
 * Entity: a SKU-warehouse (all its counts), so a change of the SKU's value class re-judges them.
 */
export const COUNT_TOLERANCE_PERCENT = { A: 1, B: 3, C: 5 } as const;

export const cycleCountsFamily: LedgerFamily = {
  entity: 'cycle-counts',
  keys: 'stock-position',
  metrics: ['count.counted', 'count.within_tolerance'],

  async touchedBy(rows, analytics) {
    const counted = rows
      .filter((r) => r.type === 'stock.adjusted' && dataField(r, 'reason') === 'cycle_count')
      .map((r) => compositeKey(dataField(r, 'warehouse'), dataField(r, 'sku')));
    const reclassified = await keysOfSkus(
      analytics,
      'kpi-ledger.cycle-counts.pairs-of-skus',
      `SELECT DISTINCT ${compositeKeySql('warehouse', 'sku')} AS key FROM cycle_counts WHERE sku IN {skus:Array(String)}`,
      updatedSkus(rows),
    );
    return [...counted, ...reclassified];
  },

  contributionsSql(scope: EntityScope) {
    const { A, B, C } = COUNT_TOLERANCE_PERCENT;
    return `SELECT
    entity_key,
    metric_value.1 AS metric,
    counted_at AS hour,
    '' AS channel,
    '' AS region,
    warehouse,
    category,
    '' AS carrier,
    '' AS supplier,
    '' AS detail,
    0 AS bucket,
    metric_value.2 AS value
FROM
(
    SELECT
        ${compositeKeySql('c.warehouse', 'c.sku')} AS entity_key,
        c.counted_at AS counted_at,
        c.warehouse AS warehouse,
        p.category AS category,
        abs(c.counted_qty - c.expected_qty) * 100
            <= multiIf(p.value_class = 'A', ${A}, p.value_class = 'B', ${B}, ${C}) * c.expected_qty AS within_tolerance
    FROM (SELECT * FROM cycle_counts FINAL WHERE ${compositeKeyFilter(['warehouse', 'sku'], scope)}) AS c
    LEFT JOIN ${PRODUCT_DIMENSION_SQL} AS p ON p.sku = c.sku
)
ARRAY JOIN [
    ('count.counted', toDecimal128(1, 4)),
    ('count.within_tolerance', toDecimal128(within_tolerance, 4))
] AS metric_value
WHERE metric_value.2 != 0`;
  },
};
