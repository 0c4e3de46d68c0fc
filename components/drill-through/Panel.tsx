import type { ReactNode } from 'react';

/** One titled section of a drill-through page. */
export function Panel({ title, help, children }: { title: string; help?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel">
      <h2 className="panel__title">{title}</h2>
      {help && <p className="dt-help">{help}</p>}
      {children}
    </section>
  );
}
