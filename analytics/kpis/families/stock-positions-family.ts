import { compositeKey } from '@/lib/composite-key';
import { dataField, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import {
  compositeKeyFilter,
  compositeKeySql,
  keysOfSkus,
  PRODUCT_DIMENSION_SQL,
  updatedSkus,
} from './stock-family-keys';

/** A SKU-warehouse out of stock for longer than this is taken as no longer carried there. */
export const DORMANT_AFTER_DAYS = 30;

/**
 * The core's stock (`stock.snapshot`) as level metrics: each snapshot of a SKU-warehouse adds the
 * change since the snapshot before it, so the running total at any time is the state of every
 * pair as of its latest snapshot then. A late or out-of-order snapshot re-states the whole pair.
 *   stock.on_hand_units / stock.on_hand_value: units on hand, and their value at the SKU's
 *     current standard cost (product.updated unit_cost; 0 when none was sent).
 *   stock.pairs_active: pairs the core reports, except those out of stock (available = on hand −
 *     reserved ≤ 0) for more than DORMANT_AFTER_DAYS in a row, judged at each snapshot.
 *   stock.pairs_out: active pairs with available ≤ 0.
 * Two snapshots of a pair at the same instant count once (the larger).
 */
export const stockPositionsFamily: LedgerFamily = {
  entity: 'stock-positions',
  keys: 'stock-position',
  metrics: ['stock.on_hand_units', 'stock.on_hand_value', 'stock.pairs_active', 'stock.pairs_out'],

  async touchedBy(rows, analytics) {
    const snapshots = rows
      .filter((r) => r.type === 'stock.snapshot')
      .map((r) => compositeKey(dataField(r, 'warehouse'), dataField(r, 'sku')));
    const revalued = await keysOfSkus(
      analytics,
      'kpi-ledger.stock-positions.pairs-of-skus',
      `SELECT DISTINCT ${compositeKeySql('warehouse', 'sku')} AS key FROM stock_snapshots WHERE sku IN {skus:Array(String)}`,
      updatedSkus(rows),
    );
    return [...snapshots, ...revalued];
  },

  contributionsSql(scope: EntityScope) {
    return `SELECT
    ${compositeKeySql('warehouse', 'sku')} AS entity_key,
    metric_value.1 AS metric,
    at AS hour,
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
        warehouse, sku, at, category,
        toDecimal128(on_hand - lagInFrame(on_hand, 1, toInt64(0)) OVER pair, 4) AS units_change,
        toDecimal128(units_change * unit_cost, 4) AS value_change,
        toDecimal128(toInt8(active) - toInt8(lagInFrame(active, 1, 0) OVER pair), 4) AS active_change,
        toDecimal128(toInt8(out_active) - toInt8(lagInFrame(out_active, 1, 0) OVER pair), 4) AS out_change
    FROM
    (
        SELECT
            *,
            NOT (is_out AND dateDiff('second', run_start, at) > ${DORMANT_AFTER_DAYS * 86_400}) AS active,
            is_out AND active AS out_active
        FROM
        (
            SELECT *, minIf(at, is_out) OVER (PARTITION BY warehouse, sku, run) AS run_start
            FROM
            (
                -- run: which stretch of stock a snapshot belongs to; an out-of-stock run shares
                -- the number of the last snapshot that had stock before it.
                SELECT *, sum(NOT is_out) OVER (PARTITION BY warehouse, sku ORDER BY at ROWS UNBOUNDED PRECEDING) AS run
                FROM
                (
                    SELECT
                        s.warehouse AS warehouse,
                        s.sku AS sku,
                        s.at AS at,
                        s.levels.1 AS on_hand,
                        s.levels.1 - s.levels.2 <= 0 AS is_out,
                        p.category AS category,
                        ifNull(p.unit_cost, toDecimal128(0, 4)) AS unit_cost
                    FROM
                    (
                        SELECT warehouse, sku, at, max((on_hand, reserved)) AS levels
                        FROM stock_snapshots
                        WHERE ${compositeKeyFilter(['warehouse', 'sku'], scope)}
                        GROUP BY warehouse, sku, at
                    ) AS s
                    LEFT JOIN ${PRODUCT_DIMENSION_SQL} AS p ON p.sku = s.sku
                )
            )
        )
    )
    WINDOW pair AS (PARTITION BY warehouse, sku ORDER BY at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
ARRAY JOIN [
    ('stock.on_hand_units', units_change),
    ('stock.on_hand_value', value_change),
    ('stock.pairs_active', active_change),
    ('stock.pairs_out', out_change)
] AS metric_value
WHERE metric_value.2 != 0`;
  },
};
