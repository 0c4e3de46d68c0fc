'use client';

import {
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnFiltersState,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useRef, useState } from 'react';
import { useNow } from '@/components/live/use-now';
import { exceptionQueues, QUEUE_LABELS, severities, type ExceptionItem, type ExceptionQueue } from '@/lib/exceptions/exception-item';
import { exceptionColumns } from './exception-columns';
import { ExceptionPanel } from './ExceptionPanel';
import { ExceptionTable } from './ExceptionTable';
import { useExceptionQueue } from './use-exception-queue';
import { WorkflowButtons } from './WorkflowButtons';

const FILTERABLE = [
  { id: 'severity', label: 'Severity' },
  { id: 'status', label: 'Status' },
  { id: 'warehouse', label: 'Warehouse' },
  { id: 'channel', label: 'Channel' },
  { id: 'assignee', label: 'Assignee' },
] as const;

/** `/exceptions`: one tab per queue with live counts, a filterable virtual table, bulk steps, a side panel. */
export function ExceptionsWorkbench({ canAct }: { canAct: boolean }) {
  const [queue, setQueue] = useState<ExceptionQueue>('order_holds');
  const { list, error, status } = useExceptionQueue(queue);
  const now = useNow(30_000).getTime();
  const [sorting, setSorting] = useState<SortingState>([{ id: 'sla_left', desc: false }]);
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [activeId, setActiveId] = useState<string | null>(null);
  const columns = useMemo(() => exceptionColumns(now), [now]);
  const items = useMemo(() => list?.items ?? [], [list]);

  const table = useReactTable({
    data: items,
    columns,
    getRowId: (item) => item.id,
    state: { sorting, columnFilters, rowSelection },
    onSortingChange: setSorting,
    onColumnFiltersChange: setColumnFilters,
    onRowSelectionChange: setRowSelection,
    enableRowSelection: canAct,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });

  // Selection outlives rows that leave: only ids still shown count.
  const selected = Object.keys(rowSelection).filter((id) => rowSelection[id] && items.some((i) => i.id === id));
  // An item resolved while open (by an action, or by someone else) stays in the panel, marked gone,
  // so the person sees the outcome instead of the panel vanishing under the cursor.
  const lastActive = useRef<ExceptionItem | null>(null);
  const found = items.find((i) => i.id === activeId) ?? null;
  if (found || !activeId) lastActive.current = found;
  const active = found ?? (activeId ? lastActive.current : null);
  const options = (id: string): string[] => {
    if (id === 'severity') return [...severities];
    const values = new Set(items.map((i) => String(table.getColumn(id)?.accessorFn?.(i, 0) ?? '')).filter(Boolean));
    return [...values].sort();
  };

  const switchQueue = (q: ExceptionQueue) => {
    setQueue(q);
    setRowSelection({});
    setActiveId(null);
  };

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
            {QUEUE_LABELS[q]} <span className="queue-tab__count">{list ? list.counts[q] : '…'}</span>
          </button>
        ))}
      </nav>

      <div className="filter-bar">
        {FILTERABLE.map((f) => (
          <label key={f.id} className="field field--inline">
            {f.label}
            <select
              value={(table.getColumn(f.id)?.getFilterValue() as string | undefined) ?? ''}
              onChange={(e) => table.getColumn(f.id)?.setFilterValue(e.target.value || undefined)}
            >
              <option value="">all</option>
              {options(f.id).map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
        ))}
        <span className="muted" data-testid="shown-count">
          {table.getRowModel().rows.length.toLocaleString()} shown of {items.length.toLocaleString()}
        </span>
      </div>

      {canAct && selected.length > 0 && (
        <div className="bulk-bar" aria-label="Selection">
          <strong>{selected.length} selected</strong>
          <WorkflowButtons ids={selected} onDone={() => setRowSelection({})} />
        </div>
      )}

      <div className={active ? 'workbench__body workbench__body--with-panel' : 'workbench__body'}>
        <ExceptionTable table={table} activeId={activeId} onOpen={setActiveId} />
        {active && <ExceptionPanel item={active} gone={!found} canAct={canAct} now={now} onClose={() => setActiveId(null)} />}
      </div>
    </div>
  );
}
