import type { ReactNode } from 'react';
import type { TowerSession } from '@/lib/auth/session';
import { AppHeader } from '@/components/shell/AppHeader';
import { DataFreshness } from './DataFreshness';
import { EntityMissing } from './EntityMissing';

type Freshness = { lastEventAt: string | null; lastFlushAt: string | null };

/**
 * The frame every drill-through page shares: the header, the entity's kind and id, and how current
 * the page is; or, for an id the tower has never heard of, a page that says what was checked.
 */
export function DrillThroughPage(
  o: { user: TowerSession['user']; kind: string; id: string } & (
    { missing: string } | { missing?: undefined; freshness: Freshness; renderedAt: Date; children: ReactNode }
  ),
) {
  if (o.missing !== undefined) {
    return (
      <>
        <AppHeader user={o.user} />
        <main className="page">
          <EntityMissing kind={inSentence(o.kind)} id={o.id} checked={o.missing} />
        </main>
      </>
    );
  }
  return (
    <>
      <AppHeader user={o.user} />
      <main className="page dt-page">
        <div className="dt-head">
          <h1 data-testid="entity-title">
            <span className="dt-kind">{o.kind}</span>
            {o.id}
          </h1>
          <DataFreshness
            lastEventAt={o.freshness.lastEventAt}
            lastFlushAt={o.freshness.lastFlushAt}
            renderedAt={o.renderedAt}
          />
        </div>
        {o.children}
      </main>
    </>
  );
}

/** "Order" reads "order" inside a sentence; an acronym such as "SKU" stays as it is. */
const inSentence = (kind: string) => (kind === kind.toUpperCase() ? kind : kind.toLowerCase());
