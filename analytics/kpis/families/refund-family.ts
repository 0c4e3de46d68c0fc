import {
  dataField,
  durationBucketSql,
  entityFilter,
  type EntityScope,
  type LedgerFamily,
} from '../ledger/ledger-family';
import { linkedIds } from './after-sales-links';
import { orderContextSql, whenKeys } from './after-sales-sql';
import { REFUND_AGE_BUCKETS } from './refund-age-buckets';

const BUCKETS_SQL = `[${REFUND_AGE_BUCKETS.map((b) => `('${b.key}', ${b.fromDay}, ${b.toDay ?? -1})`).join(', ')}]`;

/**
 * What one refund adds, under its order's channel, region and largest line's category:
 *  - refunds.issued_amount: the amounts of its refund.issued events, at the first issue (net sales
 *    and gross margin subtract it);
 *  - refunds.turnaround_seconds: a duration sketch at the first issue, from the receipt of its
 *    return when the return was received by then, else from refund.requested (no sketch without
 *    either); under the receiving warehouse, '' without a return;
 *  - refunds.backlog: +1 / −1 flows while requested and neither issued nor rejected, per age bucket
 *    (detail): in at requested + fromDay, out at requested + toDay or at the close, whichever is
 *    first. Its level at any time is the open refunds by age then, so future-dated flows are
 *    written once and a read never needs `now`.
 */
export const refundFamily: LedgerFamily = {
  entity: 'refund',
  keys: 'refund',
  metrics: ['refunds.issued_amount', 'refunds.turnaround_seconds', 'refunds.backlog'],

  async touchedBy(rows, analytics) {
    const direct = rows.filter((r) => r.type.startsWith('refund.')).map((r) => dataField(r, 'refund_id'));
    const received = rows.filter((r) => r.type === 'return.received').map((r) => dataField(r, 'return_id'));
    const orders = rows.filter((r) => r.type === 'order.created').map((r) => r.order_id);
    const linked = await linkedIds(analytics, {
      to: 'refund',
      from: [
        { kind: 'return', ids: received },
        { kind: 'order', ids: orders },
      ],
    });
    return [...direct, ...linked];
  },

  contributionsSql(scope: EntityScope) {
    const refunds = entityFilter('refund_id', scope);
    const ofKeyed = (column: string) =>
      whenKeys(scope, `${column} IN (SELECT ${column} FROM refund_facts WHERE refund_id IN {keys:Array(String)})`);
    const base = `(
    SELECT
        f.refund_id AS refund_id,
        f.requested_at AS requested_at,
        f.issued_at AS issued_at,
        f.issued_amount AS issued_amount,
        multiIf(f.issued_at IS NULL, f.rejected_at, f.rejected_at IS NULL, f.issued_at, least(f.issued_at, f.rejected_at)) AS closed_at,
        if(ret.return_id != '' AND ret.received_at <= f.issued_at, ret.received_at, f.requested_at) AS turnaround_from,
        ret.warehouse AS return_warehouse,
        o.channel AS channel,
        o.region AS region,
        o.category AS category
    FROM
    (
        SELECT
            refund_id,
            max(order_id) AS order_id,
            max(return_id) AS return_id,
            min(requested_at) AS requested_at,
            min(rejected_at) AS rejected_at,
            min(issued_at) AS issued_at,
            sum(issued_amount) AS issued_amount
        FROM refund_facts
        WHERE ${refunds}
        GROUP BY refund_id
    ) AS f
    LEFT JOIN
    (
        SELECT return_id, min(at) AS received_at, any(warehouse) AS warehouse
        FROM return_lines FINAL
        WHERE stage = 'received' AND ${ofKeyed('return_id')}
        GROUP BY return_id
    ) AS ret ON ret.return_id = f.return_id
    LEFT JOIN ${orderContextSql(ofKeyed('order_id'))} AS o ON o.order_id = f.order_id
)`;
    const zero = 'toDecimal128(0, 4)';
    const epoch = "toDateTime64(0, 3, 'UTC')";
    // Per age bucket `age` = (key, fromDay, toDay or -1): when the refund enters and leaves it.
    const entered = 'requested_or_epoch + toIntervalDay(age.2)';
    const agedOut = 'requested_or_epoch + toIntervalDay(age.3)';
    const reachesBucket = `requested AND (closed_at IS NULL OR closed_at > ${entered})`;
    const left = `if(age.3 < 0, ifNull(closed_at, ${epoch}), least(ifNull(closed_at, ${agedOut}), ${agedOut}))`;
    const leaves = `${reachesBucket} AND (age.3 >= 0 OR closed_at IS NOT NULL)`;
    const turnaroundSeconds = `dateDiff('second', ifNull(turnaround_from, ${epoch}), ifNull(issued_at, ${epoch}))`;
    // One pass over the refunds; each yields the rows it feeds (a zero value means "not this one"
    // and is dropped): the issue, the turnaround, and per age bucket a flow in and a flow out.
    return `SELECT
    refund_id AS entity_key,
    flow.1 AS metric,
    flow.2 AS hour,
    channel,
    region,
    flow.3 AS warehouse,
    category,
    '' AS carrier,
    '' AS supplier,
    flow.4 AS detail,
    toInt32(flow.5) AS bucket,
    flow.6 AS value
FROM
(
    SELECT *, requested_at IS NOT NULL AS requested, ifNull(requested_at, ${epoch}) AS requested_or_epoch
    FROM ${base}
)
ARRAY JOIN arrayConcat(
    [
        ('refunds.issued_amount', ifNull(issued_at, ${epoch}), '', '', 0,
            if(issued_at IS NOT NULL, toDecimal128(round(issued_amount, 4), 4), ${zero})),
        ('refunds.turnaround_seconds', ifNull(issued_at, ${epoch}), return_warehouse, '', ${durationBucketSql(turnaroundSeconds)},
            if(issued_at IS NOT NULL AND turnaround_from IS NOT NULL, toDecimal128(1, 4), ${zero}))
    ],
    arrayFlatten(arrayMap(age -> [
        ('refunds.backlog', ${entered}, return_warehouse, age.1, 0, if(${reachesBucket}, toDecimal128(1, 4), ${zero})),
        ('refunds.backlog', ${left}, return_warehouse, age.1, 0, if(${leaves}, toDecimal128(-1, 4), ${zero}))
    ], ${BUCKETS_SQL}))
) AS flow
WHERE flow.6 != 0`;
  },
};
