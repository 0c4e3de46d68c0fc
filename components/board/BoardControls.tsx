'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { boardViewQuery, FILTER_DIMENSIONS, type BoardView, type FilterDimension, type RangePreset } from '@/analytics/kpis/board-view';

const RANGE_LABELS: Record<RangePreset, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  '7d': '7 days',
  '30d': '30 days',
  '90d': '90 days',
  custom: 'Custom',
};
const DIMENSION_LABELS: Record<FilterDimension, string> = {
  channel: 'Channel',
  warehouse: 'Warehouse',
  region: 'Region',
  category: 'Category',
};

/**
 * Range and filters; every change is a new URL, so a view can be shared and the back button works.
 * The custom range's days start as the days the board shows (`days`), so "30 days" then "Custom"
 * starts from those thirty.
 */
export function BoardControls({
  view,
  days,
  options,
}: {
  view: BoardView;
  days: { from: string; to: string } | undefined;
  options: Record<FilterDimension, string[]>;
}) {
  const router = useRouter();
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(view.from ?? days?.from ?? today);
  const [to, setTo] = useState(view.to ?? days?.to ?? today);
  const go = (next: BoardView) => {
    const query = boardViewQuery(next);
    router.push(query ? `/?${query}` : '/');
  };

  return (
    <div className="board-controls" data-testid="board-controls">
      <div className="range-picker" role="group" aria-label="Range">
        {(Object.keys(RANGE_LABELS) as RangePreset[])
          .filter((r) => r !== 'custom')
          .map((range) => (
            <button
              key={range}
              type="button"
              className={view.range === range ? 'range-picker__option range-picker__option--active' : 'range-picker__option'}
              aria-pressed={view.range === range}
              onClick={() => go({ ...view, range, from: undefined, to: undefined })}
            >
              {RANGE_LABELS[range]}
            </button>
          ))}
        <form
          className="range-picker__custom"
          onSubmit={(e) => {
            e.preventDefault();
            if (from && to && from <= to) go({ ...view, range: 'custom', from, to });
          }}
        >
          <input type="date" aria-label="From" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
          <span aria-hidden="true">–</span>
          <input type="date" aria-label="To" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
          <button
            type="submit"
            className={view.range === 'custom' ? 'range-picker__option range-picker__option--active' : 'range-picker__option'}
          >
            {RANGE_LABELS.custom}
          </button>
        </form>
      </div>
      <div className="board-filters">
        {FILTER_DIMENSIONS.map((dimension) => {
          const current = view[dimension];
          const values = current && !options[dimension].includes(current) ? [current, ...options[dimension]] : options[dimension];
          return (
            <label key={dimension} className="field field--inline">
              {DIMENSION_LABELS[dimension]}
              <select
                data-testid={`filter-${dimension}`}
                value={current ?? ''}
                onChange={(e) => go({ ...view, [dimension]: e.target.value || undefined })}
              >
                <option value="">all</option>
                {values.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>
    </div>
  );
}
