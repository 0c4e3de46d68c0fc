'use client';

import { createColumnHelper } from '@tanstack/react-table';
import { formatKpiValue } from '@/lib/charts/kpi-value-format';
import type { ExceptionItem } from '@/lib/exceptions/exception-item';
import { ageMs, formatDuration, slaLeftMs } from '@/lib/exceptions/exception-timing';
import { SeverityBadge } from './SeverityBadge';

const column = createColumnHelper<ExceptionItem>();

/**
 * The queue table's columns; `now` makes age and SLA left tick. The server sorts and filters (the
 * table holds only the loaded pages): a sortable column's id is the list's sort of the same name.
 */
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
      sortDescFirst: false,
      cell: (c) => <SeverityBadge item={c.row.original} />,
      size: 150,
    }),
    column.accessor('summary', { header: 'Summary', enableSorting: false, size: 420 }),
    column.accessor((item) => ageMs(item, now), { id: 'age', header: 'Age', sortDescFirst: true, cell: (c) => formatDuration(c.getValue()), size: 80 }),
    column.accessor((item) => slaLeftMs(item, now), {
      id: 'sla',
      header: 'SLA left',
      sortDescFirst: false,
      cell: (c) => <span className={c.getValue() < 0 ? 'sla sla--breached' : 'sla'}>{formatDuration(c.getValue())}</span>,
      size: 90,
    }),
    column.accessor('valueAtRisk', {
      id: 'value',
      header: 'Value at risk',
      sortDescFirst: true,
      cell: (c) => formatKpiValue(c.getValue(), 'money'),
      size: 110,
    }),
    column.accessor('warehouse', { header: 'Warehouse', enableSorting: false, cell: (c) => c.getValue() ?? '—', size: 100 }),
    column.accessor('channel', { header: 'Channel', enableSorting: false, cell: (c) => c.getValue() ?? '—', size: 110 }),
    column.accessor((item) => item.assigneeName ?? '', {
      id: 'assignee',
      header: 'Assignee',
      enableSorting: false,
      cell: (c) => c.getValue() || <span className="muted">unclaimed</span>,
      size: 120,
    }),
    column.accessor('status', { header: 'Status', enableSorting: false, size: 90 }),
  ];
}
