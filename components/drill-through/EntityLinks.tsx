import Link from 'next/link';

/** Links to the drill-through pages of related entities; nothing when there are none. */
export function EntityLinks({ label, hrefBase, ids, testId }: { label: string; hrefBase: string; ids: string[]; testId: string }) {
  return (
    <div>
      <h3 className="dt-help">{label}</h3>
      {ids.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <ul className="dt-links" data-testid={testId}>
          {ids.map((id) => (
            <li key={id}>
              <Link href={`${hrefBase}/${encodeURIComponent(id)}`}>{id}</Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
