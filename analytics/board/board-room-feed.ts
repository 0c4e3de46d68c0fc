import type { LiveRoomFeed } from '@/lib/live-sockets';
import { boardViewQuery, boardViewSchema } from '../kpis/board-view';
import type { BoardPush } from './board-snapshot';
import type { LiveBoards } from './live-board';

const MAX_VIEW_QUERY = 512;

/** The board's socket feed: one room per canonical view, fed by the live boards of this process. */
export function boardRoomFeed(boards: LiveBoards): LiveRoomFeed {
  return {
    roomOf(request) {
      if (typeof request !== 'string' || request.length > MAX_VIEW_QUERY) return null;
      const parsed = boardViewSchema.safeParse(Object.fromEntries(new URLSearchParams(request)));
      return parsed.success ? boardViewQuery(parsed.data) : null;
    },
    watch: (room) => boards.watch(room),
    start: (push) =>
      boards.onChange((snapshot) => {
        const message: BoardPush = { viewKey: snapshot.viewKey, snapshot };
        push(snapshot.viewKey, message);
      }),
  };
}
