import { z } from 'zod';
import { DIMENSIONS, RANGE_PRESETS } from '../kpis/board-view';
import { KPI_SECTIONS } from '../kpis/kpi-definition';

/**
 * One board view as computed once per ledger tick and shared by every viewer of that view (see
 * live-board.ts). Shared by server and browser: the same schema checks the snapshot on both sides.
 * Percent values are fractions (0.25 = 25 %); null is "no data" and shows as "—", never as 0.
 */
const kpiFormat = z.enum(['count', 'money', 'percent', 'hours', 'days', 'ratio']);
const period = z.object({ from: z.string(), to: z.string() });

export const kpiTargetSchema = z.object({
  direction: z.enum(['at_least', 'at_most']),
  value: z.number().finite(),
  amber: z.number().finite().min(0),
});

export const boardTileSchema = z.object({
  key: z.string(),
  label: z.string(),
  section: z.enum(KPI_SECTIONS),
  format: kpiFormat,
  /** The definition in words: the tile's help text. */
  help: z.string(),
  better: z.enum(['higher', 'lower', 'neither']),
  value: z.number().nullable(),
  /** The same KPI over the equal range just before. */
  previous: z.number().nullable(),
  /** The admin's target if one is set, else the catalogue's default; null when the KPI has none. */
  target: kpiTargetSchema.nullable(),
  status: z.enum(['green', 'amber', 'red']).nullable(),
  /** One point per hour or day of the range; a null is a gap, not zero. */
  series: z.array(z.object({ at: z.string(), value: z.number().nullable() })),
  parts: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      format: kpiFormat,
      value: z.number().nullable(),
      previous: z.number().nullable(),
    }),
  ),
  /** Dimensions the tile can be broken down and filtered by. */
  dimensions: z.array(z.enum(DIMENSIONS)),
  /** The view's filters this tile could not apply: it shows the unfiltered number. */
  unfiltered: z.array(z.enum(DIMENSIONS)),
  drillTo: z.enum(['orders', 'skus', 'returns', 'refunds', 'purchase_orders', 'exceptions']).nullable(),
});

export const boardSnapshotSchema = z.object({
  /** ISO time the snapshot was computed. */
  computedAt: z.string(),
  /** The view's canonical query string: its URL and the name of its live room. */
  viewKey: z.string(),
  view: z.object({
    range: z.enum(RANGE_PRESETS),
    from: z.string().optional(),
    to: z.string().optional(),
    channel: z.string().optional(),
    warehouse: z.string().optional(),
    region: z.string().optional(),
    category: z.string().optional(),
  }),
  periods: z.object({ current: period, previous: period, grain: z.enum(['hour', 'day']) }),
  freshness: z.object({
    /** Latest business time (occurred_at) stored; null when nothing is stored. */
    lastEventAt: z.string().nullable(),
    /** Latest received_at stored: when the last flush landed. */
    lastFlushAt: z.string().nullable(),
    /** The KPI ledger trails the stored events (see LedgerLag): the tiles leave some out. */
    behind: z
      .object({ reason: z.enum(['rebuilding', 'catching-up']), since: z.string() })
      .nullable()
      .default(null),
  }),
  tiles: z.array(boardTileSchema),
});

export type BoardSnapshot = z.infer<typeof boardSnapshotSchema>;
export type BoardTile = z.infer<typeof boardTileSchema>;

/** What the server pushes to a view's room: the snapshot, named by its view so a late push for a view just left is ignored. */
export const boardPushSchema = z.object({ viewKey: z.string(), snapshot: boardSnapshotSchema });
export type BoardPush = z.infer<typeof boardPushSchema>;
