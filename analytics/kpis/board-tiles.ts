/**
 * The board's numbers, one definition each. The board, drill-downs, reports and tests all take
 * labels, formats and definitions from here. A `percent` value is a fraction (0.25 = 25 %); a
 * rate with no denominator is null and shows as "—".
 */
export const boardTileKeys = [
  'orders',
  'gross_sales',
  'units_shipped',
  'open_backlog',
  'on_time_ship_rate',
  'return_rate',
] as const;
export type BoardTileKey = (typeof boardTileKeys)[number];

export const tileFormats = ['count', 'money', 'percent'] as const;
export type TileFormat = (typeof tileFormats)[number];

/** How many days of ship cohort the return rate covers: today and the days before it. */
export const RETURN_COHORT_DAYS = 30;

export interface BoardTileDefinition {
  key: BoardTileKey;
  label: string;
  format: TileFormat;
  /** The definition, in words a person reading the board can check a number against. */
  help: string;
  /** Which period the value covers. */
  scope: string;
}

export const boardTiles: readonly BoardTileDefinition[] = [
  {
    key: 'orders',
    label: 'Orders',
    format: 'count',
    help: 'Orders created today (UTC): the count of order.created events by the time the order was placed, whenever they arrived.',
    scope: 'today',
  },
  {
    key: 'gross_sales',
    label: 'Gross sales',
    format: 'money',
    help: 'Sum over today’s orders (UTC) of quantity × unit price − line discount, before refunds, shipping and tax.',
    scope: 'today',
  },
  {
    key: 'units_shipped',
    label: 'Units shipped',
    format: 'count',
    help: 'Units on the lines of shipments made today (UTC), from order.shipped events.',
    scope: 'today',
  },
  {
    key: 'open_backlog',
    label: 'Open backlog',
    format: 'count',
    help: 'Orders created and neither shipped nor cancelled yet, however old.',
    scope: 'now',
  },
  {
    key: 'on_time_ship_rate',
    label: 'On-time ship rate',
    format: 'percent',
    help: 'Of the orders first shipped today (UTC) that had a promised ship-by time: the share whose first shipment left on or before it. Orders without a promise are left out.',
    scope: 'first shipped today',
  },
  {
    key: 'return_rate',
    label: 'Return rate',
    format: 'percent',
    help: `Units returned ÷ units shipped, for orders first shipped in the last ${RETURN_COHORT_DAYS} days (UTC, today included); rejected returns do not count. Returns are attributed to the ship cohort — the day the order shipped — not booked on the return date as Shopify does, so a day’s rate can still rise as its returns come in.`,
    scope: `shipped in the last ${RETURN_COHORT_DAYS} days`,
  },
];

export function boardTile(key: BoardTileKey): BoardTileDefinition {
  const tile = boardTiles.find((t) => t.key === key);
  if (!tile) throw new Error(`No board tile "${key}" in the KPI catalogue`);
  return tile;
}
