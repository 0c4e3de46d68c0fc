import Link from 'next/link';

/** The page for an id the tower has never heard of: say what was checked and where to go next. */
export function EntityMissing({ kind, id, checked }: { kind: string; id: string; checked: string }) {
  return (
    <section className="panel dt-missing" data-testid="entity-not-found">
      <h1 className="panel__title">
        No {kind} “{id}”
      </h1>
      <p>{checked}</p>
      <p className="muted">Check the id for typos. An entity from a source that is not connected, or older than the stored history, cannot be shown.</p>
      <p>
        <Link href="/">Back to the board</Link> · <Link href="/exceptions">Exceptions</Link>
      </p>
    </section>
  );
}
