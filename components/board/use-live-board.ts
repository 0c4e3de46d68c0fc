'use client';

import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { goToSignIn, useLiveFeed, type LiveStatus } from '@/components/live/use-live-feed';
import { boardSnapshotSchema, type BoardSnapshot } from '@/analytics/board/board-snapshot';


export const BOARD_QUERY_KEY = ['board'] as const;

export class BoardUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'BoardUnavailableError';
  }
}

const errorBodySchema = z.object({ error: z.string() });

/** A push and a fetch can cross on the wire: whichever snapshot was computed last wins. */
function newer(a: BoardSnapshot | undefined, b: BoardSnapshot): BoardSnapshot {
  return a && Date.parse(a.computedAt) > Date.parse(b.computedAt) ? a : b;
}

async function fetchBoard(queryClient: QueryClient): Promise<BoardSnapshot> {
  const response = await fetch('/api/board', { cache: 'no-store', credentials: 'same-origin' });
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 401) {
    goToSignIn();
    throw new BoardUnavailableError('Your session has ended. Sign in again.', 401);
  }
  if (!response.ok) {
    const parsedError = errorBodySchema.safeParse(body);
    throw new BoardUnavailableError(
      parsedError.success ? parsedError.data.error : `The board is unavailable (HTTP ${response.status}). Try again shortly.`,
      response.status,
    );
  }
  const parsed = boardSnapshotSchema.safeParse(body);
  if (!parsed.success) {
    throw new BoardUnavailableError('The server sent a board this page cannot read. Reload the page to get the current version.', 200);
  }
  return newer(queryClient.getQueryData<BoardSnapshot>(BOARD_QUERY_KEY), parsed.data);
}

/**
 * The board snapshot, fetched once and then replaced by every `board` push over socket.io. There
 * is no polling: after a reconnect one refetch covers whatever was missed while offline.
 */
export function useLiveBoard(): { snapshot: BoardSnapshot | undefined; error: Error | null; status: LiveStatus } {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: BOARD_QUERY_KEY,
    queryFn: () => fetchBoard(queryClient),
    refetchInterval: false,
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const status = useLiveFeed('board', {
    onReconnect: () => void queryClient.invalidateQueries({ queryKey: BOARD_QUERY_KEY }),
    onMessage: (payload) => {
      const parsed = boardSnapshotSchema.safeParse(payload);
      if (!parsed.success) {
        console.warn('[board] ignored a pushed snapshot this page cannot read:', parsed.error.issues[0]?.message);
        return;
      }
      queryClient.setQueryData<BoardSnapshot>(BOARD_QUERY_KEY, (previous) => newer(previous, parsed.data));
    },
  });
  return { snapshot: query.data, error: query.error, status };
}
