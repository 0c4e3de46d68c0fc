/**
 * Age buckets of the refund backlog, in whole days since refund.requested: a refund counts in
 * the bucket whose [fromDay, toDay) holds its age (toDay null: no upper end). They are the
 * `detail` of refunds.backlog and the parts of the refund backlog tile.
 */
export const REFUND_AGE_BUCKETS = [
  { key: '0-2d', label: '0–2 days', fromDay: 0, toDay: 3 },
  { key: '3-7d', label: '3–7 days', fromDay: 3, toDay: 8 },
  { key: '8-14d', label: '8–14 days', fromDay: 8, toDay: 15 },
  { key: '15-30d', label: '15–30 days', fromDay: 15, toDay: 31 },
  { key: '31d+', label: '> 30 days', fromDay: 31, toDay: null },
] as const;
