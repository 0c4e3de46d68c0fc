'use client';

import {
  getCoreRowModel,
  useReactTable,
  type RowSelectionState,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNow } from '@/components/live/use-now';
import {
  exceptionQueues,
  QUEUE_LABELS,
  severities,
  type ExceptionItem,
  type ExceptionQueue,
} from '@/lib/exceptions/exception-item';
import type { ExceptionsChange } from '@/lib/exceptions/exception-feed';
import { exceptionSorts, type ExceptionView } from '@/lib/exceptions/exception-view';
import { exceptionColumns } from './exception-columns';
import { ExceptionPanel } from './ExceptionPanel';
import { ExceptionTable } from './ExceptionTable';
import { fetchExceptionDetail } from './exceptions-api';
import { useExceptionQueue } from './use-exception-queue';
import { WorkflowButtons, type Outcome, type Viewer } from './WorkflowButtons';

type Filters = Pick<ExceptionView, 'severity' | 'warehouse' | 'channel' | 'assignee' | 'breached'> & {
  status?: 'open' | 'claimed' | 'snoozed';
};
const NO_FILTERS: Filters = {};
const DEFAULT_SORTING: SortingState = [{ id: 'sla', desc: false }];
const isSort = (id: string): id is ExceptionView['sort'] => (exceptionSorts as readonly string[]).includes(id);

/**
 * `/exceptions`: one tab per queue with live counts, a server-sorted and -filtered virtual table,
 * bulk steps, a side panel. `?queue=&item=` (a drill-through page's link) opens on that queue with
 * that item's panel once it has loaded.
 */
export function ExceptionsWorkbench({
  canAct,
  viewer,
  initialQueue = 'order_holds',
  initialItemId = null,
}: {
  canAct: boolean;
  viewer: Viewer;
  initialQueue?: ExceptionQueue;
  initialItemId?: string | null;
}) {
  const [queue, setQueue] = useState<ExceptionQueue>(initialQueue);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sorting, setSorting] = useState<SortingState>(DEFAULT_SORTING);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  // "Select all N matching": the bulk steps then act on the view on the server, loaded or not.
  const [allMatching, setAllMatching] = useState(false);
  const [bulkOutcome, setBulkOutcome] = useState<Outcome | null>(null);
  // The open item as last seen: an item resolved while open (by an action, or by someone else)
  // stays in the panel, marked gone, so the person sees the outcome instead of the panel vanishing.
  const [active, setActive] = useState<{ item: ExceptionItem; gone: boolean } | null>(null);
  const now = useNow(30_000).getTime();

  const sort = sorting[0] && isSort(sorting[0].id) ? sorting[0] : DEFAULT_SORTING[0];
  const view: ExceptionView = useMemo(
    () => ({
      queue,
      status: filters.status ?? 'unresolved',
      severity: filters.severity,
      warehouse: filters.warehouse,
      channel: filters.channel,
      assignee: filters.assignee,
      breached: filters.breached,
      sort: isSort(sort.id) ? sort.id : 'sla',
      dir: sort.desc ? 'desc' : 'asc',
    }),
    [queue, filters, sort.id, sort.desc],
  );
  const followActive = useCallback((change: ExceptionsChange) => {
    setActive((open) => {
      if (!open) return open;
      const changed = change.upserted.find((i) => i.id === open.item.id);
      if (changed) return { item: changed, gone: changed.status === 'resolved' };
      return change.resolvedIds.includes(open.item.id) ? { ...open, gone: true } : open;
    });
  }, []);
  const { items, total, counts, facets, hasMore, loadMore, error, status } = useExceptionQueue(view, followActive);
  const columns = useMemo(() => exceptionColumns(now), [now]);

  const table = useReactTable({
    data: items,
    columns,
    getRowId: (item) => item.id,
    state: { sorting: [sort], rowSelection },
    onSortingChange: (next: Updater<SortingState>) =>
      setSorting((prev) => (typeof next === 'function' ? next(prev) : next).slice(0, 1)),
    onRowSelectionChange: setRowSelection,
    manualSorting: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    enableRowSelection: canAct,
    getCoreRowModel: getCoreRowModel(),
  });

  // Selection outlives rows that leave: only items still loaded count.
  const selected = useMemo(() => items.filter((i) => rowSelection[i.id]), [items, rowSelection]);
  const allLoadedSelected = items.length > 0 && selected.length === items.length;
  // A different view, or a narrower selection, is no longer "all matching".
  useEffect(() => setAllMatching(false), [view]);
  useEffect(() => {
    if (!allLoadedSelected) setAllMatching(false);
  }, [allLoadedSelected]);
  const clearSelection = () => {
    setRowSelection({});
    setAllMatching(false);
  };

  // A linked item opens whether or not it is among the rows loaded so far (a queue of thousands
  // loads a page at a time), and a resolved one opens marked gone rather than not at all.
  const linked = useQuery({
    queryKey: ['exception', 'linked', initialItemId],
    queryFn: () => fetchExceptionDetail(initialItemId ?? ''),
    enabled: initialItemId !== null,
    staleTime: Infinity,
  });
  const [linkOpened, setLinkOpened] = useState(false);
  useEffect(() => {
    if (linkOpened || !linked.data) return;
    setLinkOpened(true);
    setActive({ item: linked.data.item, gone: linked.data.item.status === 'resolved' });
  }, [linked.data, linkOpened]);

  const switchQueue = (q: ExceptionQueue) => {
    setQueue(q);
    setFilters(NO_FILTERS);
    clearSelection();
    setBulkOutcome(null);
    setActive(null);
  };
  const filter = (name: keyof Filters, value: string) => setFilters((f) => ({ ...f, [name]: value || undefined }));
  const choices: { name: keyof Filters; label: string; options: { value: string; label: string }[] }[] = [
    { name: 'severity', label: 'Severity', options: severities.map((s) => ({ value: s, label: s })) },
    { name: 'status', label: 'Status', options: ['open', 'claimed', 'snoozed'].map((s) => ({ value: s, label: s })) },
    {
      name: 'breached',
      label: 'SLA',
      options: [
        { value: 'yes', label: 'breached' },
        { value: 'no', label: 'within SLA' },
      ],
    },
    {
      name: 'warehouse',
      label: 'Warehouse',
      options: withChosen(facets?.warehouses, filters.warehouse).map((w) => ({ value: w, label: w })),
    },
    {
      name: 'channel',
      label: 'Channel',
      options: withChosen(facets?.channels, filters.channel).map((c) => ({ value: c, label: c })),
    },
    {
      name: 'assignee',
      label: 'Assignee',
      options: [
        { value: 'none', label: 'unclaimed' },
        ...(facets?.assignees ?? []).map((a) => ({ value: a.id, label: a.name })),
      ],
    },
  ];

  return (
    <div className="workbench">
      {status === 'paused' && (
        <div className="banner banner--warn" role="status">
          Live updates paused — reconnecting…
        </div>
      )}
      {error && (
        <div className="banner banner--error" role="alert">
          {error.message}
        </div>
      )}
      {linked.error && (
        <div className="banner banner--error" role="alert">
          The linked exception could not be opened: {linked.error.message}
        </div>
      )}
      <nav className="queue-tabs" role="tablist" aria-label="Queues">
        {exceptionQueues.map((q) => (
          <button
            key={q}
            type="button"
            role="tab"
            aria-selected={q === queue}
            className={q === queue ? 'queue-tab queue-tab--active' : 'queue-tab'}
            onClick={() => switchQueue(q)}
            data-testid={`queue-tab-${q}`}
          >
            {QUEUE_LABELS[q]} <span className="queue-tab__count">{counts ? counts[q].toLocaleString() : '…'}</span>
          </button>
        ))}
      </nav>

      <div className="filter-bar">
        {choices.map((c) => (
          <label key={c.name} className="field field--inline">
            {c.label}
            <select value={filters[c.name] ?? ''} onChange={(e) => filter(c.name, e.target.value)}>
              <option value="">all</option>
              {c.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        <span className="muted" data-testid="shown-count">
          {total.toLocaleString()} matching · {items.length.toLocaleString()} loaded
        </span>
      </div>

      {canAct && selected.length > 0 && (
        <div className="bulk-bar" aria-label="Selection">
          <strong data-testid="selection-count">
            {allMatching
              ? `All ${total.toLocaleString()} matching selected`
              : `${selected.length.toLocaleString()} selected`}
          </strong>
          {allLoadedSelected && !allMatching && total > items.length && (
            <button type="button" className="button button--quiet" onClick={() => setAllMatching(true)}>
              Select all {total.toLocaleString()} matching
            </button>
          )}
          {allMatching && (
            <button type="button" className="button button--quiet" onClick={clearSelection}>
              Clear selection
            </button>
          )}
          <WorkflowButtons
            items={selected}
            viewer={viewer}
            matching={allMatching ? view : undefined}
            onDone={(outcome) => {
              setBulkOutcome(outcome);
              clearSelection();
            }}
          />
        </div>
      )}
      {bulkOutcome && !(canAct && selected.length > 0) && (
        <p role="status" data-testid="bulk-outcome" className={bulkOutcome.error ? 'form-error' : 'muted'}>
          {bulkOutcome.text}
        </p>
      )}

      <div className={active ? 'workbench__body workbench__body--with-panel' : 'workbench__body'}>
        <ExceptionTable
          table={table}
          total={total}
          hasMore={hasMore}
          onNeedMore={loadMore}
          activeId={active?.item.id ?? null}
          onOpen={(item) => setActive({ item, gone: false })}
        />
        {active && (
          <ExceptionPanel
            item={active.item}
            gone={active.gone}
            canAct={canAct}
            viewer={viewer}
            now={now}
            onClose={() => setActive(null)}
          />
        )}
      </div>
    </div>
  );
}

/** A chosen value stays offered even when no loaded item carries it any more. */
function withChosen(values: string[] | undefined, chosen: string | undefined): string[] {
  const all = values ?? [];
  return chosen && !all.includes(chosen) ? [...all, chosen] : all;
}
