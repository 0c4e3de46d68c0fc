import { z } from 'zod';
import { boardTileKeys, tileFormats } from '../kpis/board-tiles';

/**
 * What the board shows, computed once and shared by every viewer (see live-board.ts). Shared by
 * server and browser: the same schema validates the snapshot on both sides.
 */
export const boardSnapshotSchema = z.object({
  /** ISO time the snapshot was computed. */
  computedAt: z.string(),
  /** 'YYYY-MM-DD' (UTC): the day the "today" tiles cover. */
  day: z.string(),
  /** Latest occurred_at stored (ISO), null when nothing is stored. */
  lastEventAt: z.string().nullable(),
  /** Latest received_at stored (ISO): when the last flush landed. */
  lastFlushAt: z.string().nullable(),
  tiles: z.array(
    z.object({
      key: z.enum(boardTileKeys),
      label: z.string(),
      /** A count, an amount of money, or for `percent` a fraction (0.25 = 25 %); null = no data ("—"). */
      value: z.number().nullable(),
      format: z.enum(tileFormats),
      help: z.string(),
      scope: z.string(),
    }),
  ),
  /** Today's orders per hour (ISO, UTC) and channel; an hour without orders is absent, not zero. */
  ordersByChannel: z.array(z.object({ hour: z.string(), channel: z.string(), orders: z.number() })),
});

export type BoardSnapshot = z.infer<typeof boardSnapshotSchema>;
export type BoardTileValue = BoardSnapshot['tiles'][number];
