import { dataField, entityFilter, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import { ledgerValue } from './order-facts-sql';
import { PRODUCT_CATEGORIES_SQL } from './product-categories';

/**
 * What a completed pick adds to pick accuracy, at the hour it was completed, under its warehouse
 * and each line's category: the units each line required, and the units gone wrong — picked
 * short (required − picked, when fewer were picked) plus the mis-picks found at pack check
 * (`errors`), which name no line and so count under the pick's largest line (by units required,
 * then the first). A repeated pick.completed for a pick replaces the earlier one.
 */
export const pickAccuracyFamily: LedgerFamily = {
  entity: 'pick-accuracy',
  keys: 'pick',
  metrics: ['pick.units_required', 'pick.units_wrong'],

  async touchedBy(rows) {
    return rows.filter((row) => row.type === 'pick.completed').map((row) => dataField(row, 'pick_id'));
  },

  contributionsSql(scope: EntityScope) {
    return `SELECT
    l.pick_id AS entity_key,
    m.1 AS metric,
    l.completed_at AS hour,
    '' AS channel,
    '' AS region,
    l.warehouse AS warehouse,
    p.category AS category,
    '' AS carrier,
    '' AS supplier,
    '' AS detail,
    0 AS bucket,
    m.2 AS value
FROM
(
    SELECT
        pick_id, completed_at, warehouse, sku, required,
        if(picked < required, required - picked, 0) + if(line_no = largest_line, errors, 0) AS wrong
    FROM
    (
        SELECT *, indexOf(qty_required, arrayMax(qty_required)) AS largest_line
        FROM pick_completions FINAL
        WHERE ${entityFilter('pick_id', scope)}
    )
    ARRAY JOIN skus AS sku, qty_required AS required, qty_picked AS picked, arrayEnumerate(skus) AS line_no
) AS l
LEFT JOIN ${PRODUCT_CATEGORIES_SQL} AS p ON p.sku = l.sku
ARRAY JOIN [
    ('pick.units_required', ${ledgerValue('l.required')}),
    ('pick.units_wrong', ${ledgerValue('l.wrong')})
] AS m
WHERE m.2 != 0`;
  },
};
