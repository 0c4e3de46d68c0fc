'use client';

import { flexRender, type Table } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ExceptionItem } from '@/lib/exceptions/exception-item';

const ROW_HEIGHT = 40;
/** Ask for the next page this many rows before the loaded ones run out. */
const PREFETCH_ROWS = 60;

/**
 * The queue as a virtual table over the whole view: the scrollbar spans every matching item, only
 * the rows in view are in the DOM, and pages load as the person scrolls towards rows not loaded
 * yet (shown as placeholders meanwhile). Rows that arrive or leave above the viewport do not move
 * what the person is reading: the first visible row is kept at the same height on screen.
 */
export function ExceptionTable({
  table,
  total,
  hasMore,
  onNeedMore,
  activeId,
  onOpen,
}: {
  table: Table<ExceptionItem>;
  total: number;
  hasMore: boolean;
  onNeedMore: () => void;
  activeId: string | null;
  onOpen: (item: ExceptionItem) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const count = hasMore ? Math.max(total, rows.length + 1) : rows.length;
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]?.id ?? `pending-${index}`,
  });
  const visible = virtualizer.getVirtualItems();
  const lastVisible = visible[visible.length - 1]?.index ?? 0;

  useEffect(() => {
    if (hasMore && lastVisible >= rows.length - PREFETCH_ROWS) onNeedMore();
  }, [hasMore, lastVisible, rows.length, onNeedMore]);

  const rememberAnchor = () => {
    const el = scrollRef.current;
    if (!el) return;
    const index = Math.floor(el.scrollTop / ROW_HEIGHT);
    const row = rows[index];
    anchor.current = row && el.scrollTop > 0 ? { id: row.id, offset: index * ROW_HEIGHT - el.scrollTop } : null;
  };

  useLayoutEffect(() => {
    const el = scrollRef.current;
    const kept = anchor.current;
    if (!el || !kept) return;
    const index = rows.findIndex((r) => r.id === kept.id);
    if (index >= 0 && index * ROW_HEIGHT - el.scrollTop !== kept.offset) el.scrollTop = index * ROW_HEIGHT - kept.offset;
  }, [rows]);

  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const template = headers.map((h) => (h.column.id === 'summary' ? `minmax(${h.getSize()}px, 1fr)` : `${h.getSize()}px`)).join(' ');

  return (
    <div className="xtable" role="table" aria-rowcount={count} data-testid="exception-table">
      <div className="xtable__head" role="row" style={{ gridTemplateColumns: template }}>
        {headers.map((h) => {
          const sorted = h.column.getIsSorted();
          return (
            <div key={h.id} role="columnheader" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
              {h.column.getCanSort() ? (
                <button type="button" className="xtable__sort" onClick={h.column.getToggleSortingHandler()}>
                  {flexRender(h.column.columnDef.header, h.getContext())}
                  {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                </button>
              ) : (
                flexRender(h.column.columnDef.header, h.getContext())
              )}
            </div>
          );
        })}
      </div>
      <div ref={scrollRef} className="xtable__body" onScroll={rememberAnchor}>
        {count === 0 && <p className="xtable__empty">Nothing here: no unresolved exceptions match.</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {visible.map((v) => {
            const row = rows[v.index];
            if (!row)
              return (
                <div key={v.key} role="row" aria-busy="true" className="xtable__row xtable__row--pending" style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}>
                  <div role="cell" className="xtable__cell muted">
                    Loading…
                  </div>
                </div>
              );
            return (
              <div
                key={row.id}
                role="row"
                data-testid="exception-row"
                data-exception-id={row.id}
                aria-selected={row.getIsSelected()}
                className={`xtable__row${row.id === activeId ? ' xtable__row--active' : ''}${row.getIsSelected() ? ' xtable__row--selected' : ''}`}
                style={{ gridTemplateColumns: template, transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                onClick={() => onOpen(row.original)}
              >
                {row.getVisibleCells().map((cell) => (
                  <div key={cell.id} role="cell" className="xtable__cell">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
