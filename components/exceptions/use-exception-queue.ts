'use client';

import { useInfiniteQuery, useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useLiveFeed, type LiveStatus } from '@/components/live/use-live-feed';
import { applyChangeToPages, loadedPage, type LoadedPage } from '@/lib/exceptions/apply-change';
import type { ExceptionItem, ExceptionQueue } from '@/lib/exceptions/exception-item';
import { exceptionsChangeSchema, type ExceptionFacets, type ExceptionsChange } from '@/lib/exceptions/exception-feed';
import { exceptionViewSchema, isFiltered, type ExceptionView } from '@/lib/exceptions/exception-view';
import { fetchQueuePage } from './exceptions-api';

type Pages = InfiniteData<LoadedPage, string | null>;

const KEY = 'exception-queue';
const viewKey = (view: ExceptionView) => [KEY, view] as const;
/** A filtered view's counts come from the server, at most this often while pushes arrive. */
const COUNTS_REFRESH_MS = 2_000;

function applyToEveryCachedView(queryClient: QueryClient, change: ExceptionsChange): void {
  for (const [key, data] of queryClient.getQueriesData<Pages>({ queryKey: [KEY] })) {
    const view = exceptionViewSchema.safeParse(key[1]);
    if (view.success && data) queryClient.setQueryData<Pages>(key, { ...data, pages: applyChangeToPages(data.pages, view.data, change) });
  }
}

export interface ExceptionQueueState {
  /** The loaded rows, in the view's order. */
  items: ExceptionItem[];
  /** Matching items in the view's queue, loaded or not. */
  total: number;
  counts: Record<ExceptionQueue, number> | undefined;
  facets: ExceptionFacets | undefined;
  hasMore: boolean;
  loadMore(): void;
  error: Error | null;
  status: LiveStatus;
}

/**
 * A view of one queue, loaded a page at a time as the person scrolls, and kept current by the
 * `exceptions` pushes: rows arrive and leave in place, without reloading what is loaded.
 */
export function useExceptionQueue(view: ExceptionView, onChange?: (change: ExceptionsChange) => void): ExceptionQueueState {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: viewKey(view),
    queryFn: async ({ pageParam }) => loadedPage(await fetchQueuePage(view, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
  });

  const latest = useRef({ view, onChange });
  latest.current = { view, onChange };
  const countsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(countsTimer.current ?? undefined), []);

  const refreshCountsSoon = useCallback(() => {
    if (countsTimer.current) return;
    countsTimer.current = setTimeout(() => {
      countsTimer.current = null;
      const v = latest.current.view;
      fetchQueuePage(v, null, 1)
        .then(({ counts, facets }) =>
          queryClient.setQueryData<Pages>(viewKey(v), (data) => {
            const [first, ...rest] = data?.pages ?? [];
            return data && first ? { ...data, pages: [{ ...first, counts, facets }, ...rest] } : data;
          }),
        )
        .catch(() => undefined); // the next push tries again
    }, COUNTS_REFRESH_MS);
  }, [queryClient]);

  const status = useLiveFeed('exceptions', {
    onReconnect: () => void queryClient.invalidateQueries({ queryKey: [KEY] }),
    onMessage: (payload) => {
      const parsed = exceptionsChangeSchema.safeParse(payload);
      if (!parsed.success) {
        console.warn('[exceptions] ignored a pushed change this page cannot read:', parsed.error.issues[0]?.message);
        return;
      }
      applyToEveryCachedView(queryClient, parsed.data);
      if (isFiltered(latest.current.view)) refreshCountsSoon();
      latest.current.onChange?.(parsed.data);
    },
  });

  const pages = query.data?.pages;
  const items = useMemo(() => {
    const seen = new Set<string>();
    // A row that moved while a page was on its way could arrive twice: the first place wins.
    return (pages ?? []).flatMap((p) => p.items).filter((i) => !seen.has(i.id) && Boolean(seen.add(i.id)));
  }, [pages]);
  const first = pages?.[0];
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [fetchNextPage, hasNextPage, isFetchingNextPage]);

  return {
    items,
    total: first?.counts && view.queue ? first.counts[view.queue] : items.length,
    counts: first?.counts,
    facets: first?.facets,
    hasMore: hasNextPage,
    loadMore,
    error: query.error,
    status,
  };
}
