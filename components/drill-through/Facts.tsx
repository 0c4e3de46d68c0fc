import type { ReactNode } from 'react';

/** A short list of labelled facts; an empty value shows as a dash, never as a blank. */
export function Facts({ rows, testId }: { rows: [string, ReactNode][]; testId?: string }) {
  return (
    <dl className="dt-facts" data-testid={testId}>
      {rows.map(([label, value]) => (
        <div key={label} className="dt-facts__row">
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}
