import { liveBoardsSlot } from '@/analytics/board/live-board';
import { analyticsSlot } from '@/analytics/clickhouse';
import { boardViewQuery, parseBoardView } from '@/analytics/kpis/board-view';
import { getBoardFilterOptions } from '@/analytics/queries/board-filter-options';
import { BoardScreen } from '@/components/board/BoardScreen';
import { TvBoard } from '@/components/board/TvBoard';
import { AppHeader } from '@/components/shell/AppHeader';
import { requireSession } from '@/lib/auth/require-session';

export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;

/** The board; `?tv=1` is the wall-screen mode of the same view. The URL holds the whole view. */
export default async function BoardPage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  const view = parseBoardView(search);
  const viewKey = boardViewQuery(view);
  const tv = search.tv === '1';
  const back = new URLSearchParams(viewKey);
  if (tv) back.set('tv', '1');
  const { user } = await requireSession(back.size > 0 ? `/?${back}` : '/');
  // The first snapshot comes with the page; a failure here only means the browser fetches it.
  const initial = await liveBoardsSlot
    .peek()
    ?.current(view)
    .catch(() => undefined);
  if (tv) return <TvBoard viewKey={viewKey} initial={initial} />;
  const options = await getBoardFilterOptions(analyticsSlot.get(), new Date()).catch(() => ({
    channel: [],
    warehouse: [],
    region: [],
    category: [],
  }));
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <BoardScreen view={view} viewKey={viewKey} initial={initial} options={options} />
      </main>
    </>
  );
}
