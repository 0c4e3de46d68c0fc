import type { ExceptionItem } from './exception-item';
import type { ExceptionPage, ExceptionsChange } from './exception-feed';
import { compareInView, isFiltered, matchesView, type ExceptionView } from './exception-view';

/**
 * A page as the browser holds it: `bound` is its last item as the server sent it (the row its
 * cursor points after), or null for the last page. Pages cover consecutive ranges of the view's
 * order, so a live item belongs to the first page whose bound it does not pass.
 */
export interface LoadedPage extends ExceptionPage {
  bound: ExceptionItem | null;
}

export function loadedPage(page: ExceptionPage): LoadedPage {
  return { ...page, bound: page.nextCursor ? (page.items[page.items.length - 1] ?? null) : null };
}

/**
 * Folds one pushed change into the pages a browser holds for a view: resolved and changed items
 * leave; a changed or new item that still fits the view goes back in at its place in the order,
 * if that place is within what is loaded (otherwise a later page brings it). Nothing else moves,
 * so the rows a person is reading stay where they are.
 */
export function applyChangeToPages(pages: readonly LoadedPage[], view: ExceptionView, change: ExceptionsChange): LoadedPage[] {
  const resolved = new Set(change.resolvedIds);
  const leaving = new Set(resolved);
  for (const item of change.upserted) leaving.add(item.id);
  const next = pages.map((p) => (p.items.some((i) => leaving.has(i.id)) ? { ...p, items: p.items.filter((i) => !leaving.has(i.id)) } : p));

  for (const item of change.upserted) {
    if (resolved.has(item.id) || !matchesView(view, item)) continue;
    const at = next.findIndex((p) => p.bound === null || compareInView(view, item, p.bound) <= 0);
    const page = next[at];
    if (!page) continue;
    const items = [...page.items];
    items.splice(insertionIndex(items, item, view), 0, item);
    next[at] = { ...page, items };
  }

  const first = next[0];
  // Per-queue counts from the push describe the view exactly only when it has no filters.
  if (first && !isFiltered(view)) next[0] = { ...first, counts: change.counts, facets: withValuesOf(first.facets, view, change.upserted) };
  else if (first?.facets) next[0] = { ...first, facets: withValuesOf(first.facets, view, change.upserted) };
  return next;
}

function insertionIndex(items: readonly ExceptionItem[], item: ExceptionItem, view: ExceptionView): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const there = items[mid];
    if (there && compareInView(view, there, item) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** New warehouses, channels and assignees join the filter bar as items carrying them arrive. */
function withValuesOf(facets: LoadedPage['facets'], view: ExceptionView, items: readonly ExceptionItem[]): LoadedPage['facets'] {
  if (!facets) return facets;
  const mine = items.filter((i) => i.queue === view.queue && i.status !== 'resolved');
  const add = (values: string[], more: (string | null)[]) => {
    const extra = more.filter((v): v is string => v !== null && !values.includes(v));
    return extra.length ? [...new Set([...values, ...extra])].sort() : values;
  };
  const assignees = [...facets.assignees];
  for (const i of mine)
    if (i.assigneeId && i.assigneeName && !assignees.some((a) => a.id === i.assigneeId)) assignees.push({ id: i.assigneeId, name: i.assigneeName });
  return {
    warehouses: add(facets.warehouses, mine.map((i) => i.warehouse)),
    channels: add(facets.channels, mine.map((i) => i.channel)),
    assignees,
  };
}
