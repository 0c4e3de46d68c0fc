import { Board } from '@/components/board/Board';
import { AppHeader } from '@/components/shell/AppHeader';
import { requireSession } from '@/lib/auth/require-session';

export const dynamic = 'force-dynamic';

export default async function BoardPage() {
  const { user } = await requireSession('/');
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <Board />
      </main>
    </>
  );
}
