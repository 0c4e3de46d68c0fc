'use client';

import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useLiveFeed, type LiveStatus } from '@/components/live/use-live-feed';
import type { ExceptionQueue } from '@/lib/exceptions/exception-item';
import { applyChange, exceptionsChangeSchema, type ExceptionList, type ExceptionsChange } from '@/lib/exceptions/exception-feed';
import { fetchQueue } from './exceptions-api';

const queueKey = (queue: ExceptionQueue) => ['exceptions', queue] as const;

function applyToEveryCachedQueue(queryClient: QueryClient, change: ExceptionsChange): void {
  for (const [key] of queryClient.getQueriesData<ExceptionList>({ queryKey: ['exceptions'] })) {
    const queue = key[1] as ExceptionQueue;
    queryClient.setQueryData<ExceptionList>(key, (list) => (list ? applyChange(list, queue, change) : list));
  }
}

/** One queue's unresolved items, loaded once, then kept current by `exceptions` pushes. */
export function useExceptionQueue(queue: ExceptionQueue): {
  list: ExceptionList | undefined;
  error: Error | null;
  status: LiveStatus;
} {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: queueKey(queue), queryFn: () => fetchQueue(queue), staleTime: Number.POSITIVE_INFINITY });
  const status = useLiveFeed('exceptions', {
    onReconnect: () => void queryClient.invalidateQueries({ queryKey: ['exceptions'] }),
    onMessage: (payload) => {
      const parsed = exceptionsChangeSchema.safeParse(payload);
      if (parsed.success) applyToEveryCachedQueue(queryClient, parsed.data);
      else console.warn('[exceptions] ignored a pushed change this page cannot read:', parsed.error.issues[0]?.message);
    },
  });
  return { list: query.data, error: query.error, status };
}
