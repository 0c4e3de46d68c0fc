import { dataField, entityFilter, type EntityScope, type LedgerFamily } from '../ledger/ledger-family';
import { keysOfSkus, PRODUCT_DIMENSION_SQL, updatedSkus } from './stock-family-keys';

/**
 * Supplier OTIF: every purchase order line (a PO's lines of one SKU taken together), booked at
 * the hour it was due (`expected_at`), by supplier, warehouse and the SKU's category.
 *   supplier.lines_due: 1 per line.
 *   supplier.lines_on_time: a receipt against the line arrived on or before expected_at.
 *   supplier.lines_in_full: receipts against the line (whenever) add up to at least the qty ordered.
 *   supplier.lines_otif: receipts on or before expected_at add up to at least the qty ordered.
 * Entity: a PO; receipts find it by their po_id.
 */
export const poLinesFamily: LedgerFamily = {
  entity: 'po-lines',
  keys: 'purchase-order',
  metrics: ['supplier.lines_due', 'supplier.lines_on_time', 'supplier.lines_in_full', 'supplier.lines_otif'],

  async touchedBy(rows, analytics) {
    const pos = rows
      .filter((r) => r.type === 'po.created' || r.type === 'stock.received')
      .map((r) => dataField(r, 'po_id'))
      .filter((id) => id !== '');
    const recategorised = await keysOfSkus(
      analytics,
      'kpi-ledger.po-lines.pos-of-skus',
      'SELECT DISTINCT po_id AS key FROM po_lines WHERE sku IN {skus:Array(String)}',
      updatedSkus(rows),
    );
    return [...pos, ...recategorised];
  },

  contributionsSql(scope: EntityScope) {
    return `SELECT
    po_id AS entity_key,
    metric_value.1 AS metric,
    expected_at AS hour,
    '' AS channel,
    '' AS region,
    warehouse,
    category,
    '' AS carrier,
    supplier,
    '' AS detail,
    0 AS bucket,
    metric_value.2 AS value
FROM
(
    SELECT
        l.po_id AS po_id,
        l.supplier AS supplier,
        l.warehouse AS warehouse,
        l.expected_at AS expected_at,
        any(p.category) AS category,
        countIf(r.po_id != '' AND r.received_at <= l.expected_at) > 0 AS on_time,
        sumIf(r.qty, r.po_id != '') >= l.qty AS in_full,
        sumIf(r.qty, r.po_id != '' AND r.received_at <= l.expected_at) >= l.qty AS otif
    FROM
    (
        SELECT po_id, sku, any(supplier) AS supplier, any(warehouse) AS warehouse, max(expected_at) AS expected_at, sum(qty) AS qty
        FROM po_lines FINAL
        WHERE ${entityFilter('po_id', scope)}
        GROUP BY po_id, sku
    ) AS l
    LEFT JOIN (SELECT po_id, sku, received_at, qty FROM po_receipts FINAL WHERE ${entityFilter('po_id', scope)}) AS r
        ON r.po_id = l.po_id AND r.sku = l.sku
    LEFT JOIN ${PRODUCT_DIMENSION_SQL} AS p ON p.sku = l.sku
    GROUP BY l.po_id, l.sku, l.supplier, l.warehouse, l.expected_at, l.qty
)
ARRAY JOIN [
    ('supplier.lines_due', toDecimal128(1, 4)),
    ('supplier.lines_on_time', toDecimal128(on_time, 4)),
    ('supplier.lines_in_full', toDecimal128(in_full, 4)),
    ('supplier.lines_otif', toDecimal128(otif, 4))
] AS metric_value
WHERE metric_value.2 != 0`;
  },
};
