'use client';

import { createColumnHelper, type FilterFn } from '@tanstack/react-table';
import { formatKpiValue } from '@/lib/charts/kpi-value-format';
import { severities, type ExceptionItem } from '@/lib/exceptions/exception-item';
import { ageMs, formatDuration, slaLeftMs } from '@/lib/exceptions/exception-timing';

const column = createColumnHelper<ExceptionItem>();
const SEVERITY_RANK = Object.fromEntries(severities.map((s, i) => [s, severities.length - i])) as Record<string, number>;

/** Column filters are exact matches on a value picked from the filter bar. */
export const equalsValue: FilterFn<ExceptionItem> = (row, columnId, wanted: string) => String(row.getValue(columnId) ?? '') === wanted;

/** The queue table's columns; `now` makes age and SLA left tick. */
export function exceptionColumns(now: number) {
  return [
    column.display({
      id: 'select',
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select all shown"
          checked={table.getIsAllRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = table.getIsSomeRowsSelected();
          }}
          onChange={table.getToggleAllRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${row.original.summary}`}
          checked={row.getIsSelected()}
          onClick={(e) => e.stopPropagation()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
      size: 36,
    }),
    column.accessor('severity', {
      header: 'Severity',
      sortingFn: (a, b) => SEVERITY_RANK[a.original.severity] - SEVERITY_RANK[b.original.severity],
      filterFn: equalsValue,
      cell: (c) => <span className={`severity severity--${c.getValue()}`}>{c.getValue()}</span>,
      size: 90,
    }),
    column.accessor('summary', { header: 'Summary', enableSorting: false, size: 420 }),
    column.accessor((item) => ageMs(item, now), { id: 'age', header: 'Age', cell: (c) => formatDuration(c.getValue()), size: 80 }),
    column.accessor((item) => slaLeftMs(item, now), {
      id: 'sla_left',
      header: 'SLA left',
      cell: (c) => <span className={c.getValue() < 0 ? 'sla sla--breached' : 'sla'}>{formatDuration(c.getValue())}</span>,
      size: 90,
    }),
    column.accessor('valueAtRisk', {
      header: 'Value at risk',
      cell: (c) => formatKpiValue(c.getValue(), 'money'),
      size: 110,
    }),
    column.accessor('warehouse', { header: 'Warehouse', filterFn: equalsValue, cell: (c) => c.getValue() ?? '—', size: 100 }),
    column.accessor('channel', { header: 'Channel', filterFn: equalsValue, cell: (c) => c.getValue() ?? '—', size: 110 }),
    column.accessor((item) => item.assigneeName ?? '', {
      id: 'assignee',
      header: 'Assignee',
      filterFn: equalsValue,
      cell: (c) => c.getValue() || <span className="muted">unclaimed</span>,
      size: 120,
    }),
    column.accessor('status', { header: 'Status', filterFn: equalsValue, size: 90 }),
  ];
}
