'use client';

import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { boardPushSchema, boardSnapshotSchema, type BoardSnapshot } from '@/analytics/board/board-snapshot';
import { goToSignIn, type LiveStatus } from '@/components/live/use-live-feed';
import { useLiveRoom } from '@/components/live/use-live-room';

export const boardQueryKey = (viewKey: string) => ['board', viewKey] as const;

export class BoardUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'BoardUnavailableError';
  }
}

/** The server runs a newer build than this page: its snapshots no longer parse here. */
export class BoardOutdatedError extends BoardUnavailableError {}

const errorBodySchema = z.object({ error: z.string() });

/** A push and a fetch can cross on the wire: whichever snapshot was computed last wins. */
function newer(a: BoardSnapshot | undefined, b: BoardSnapshot): BoardSnapshot {
  return a && Date.parse(a.computedAt) > Date.parse(b.computedAt) ? a : b;
}

async function fetchBoard(queryClient: QueryClient, viewKey: string): Promise<BoardSnapshot> {
  const response = await fetch(`/api/board?${viewKey}`, { cache: 'no-store', credentials: 'same-origin' });
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
    throw new BoardOutdatedError('The server sent a board this page cannot read. Reload the page to get the current version.', 200);
  }
  return newer(queryClient.getQueryData<BoardSnapshot>(boardQueryKey(viewKey)), parsed.data);
}

/**
 * One board view's snapshot: fetched (or handed over by the server render), then replaced by
 * every push to the view's room. No polling: after a reconnect one refetch covers whatever was
 * missed, a server restart included.
 */
export function useBoardView(
  viewKey: string,
  initial: BoardSnapshot | undefined,
): { snapshot: BoardSnapshot | undefined; error: Error | null; status: LiveStatus } {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: boardQueryKey(viewKey),
    queryFn: () => fetchBoard(queryClient, viewKey),
    initialData: initial && initial.viewKey === viewKey ? initial : undefined,
    refetchInterval: false,
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
    // After a restart the server needs a moment before it answers again.
    retry: (failures, error) => !(error instanceof BoardOutdatedError) && failures < 30,
    retryDelay: 1000,
  });
  const status = useLiveRoom('board', viewKey, {
    onReconnect: () => void queryClient.invalidateQueries({ queryKey: ['board'] }),
    onMessage: (payload) => {
      const parsed = boardPushSchema.safeParse(payload);
      if (!parsed.success) {
        console.warn('[board] ignored a pushed snapshot this page cannot read:', parsed.error.issues[0]?.message);
        return;
      }
      queryClient.setQueryData<BoardSnapshot>(boardQueryKey(parsed.data.viewKey), (previous) => newer(previous, parsed.data.snapshot));
    },
  });
  return { snapshot: query.data, error: query.error, status };
}
