import { ExceptionsWorkbench } from '@/components/exceptions/ExceptionsWorkbench';
import { AppHeader } from '@/components/shell/AppHeader';
import { requireSession } from '@/lib/auth/require-session';
import { canActOnExceptions } from '@/lib/auth/roles';
import { exceptionQueues } from '@/lib/exceptions/exception-item';

export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function ExceptionsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { user } = await requireSession('/exceptions');
  const search = await searchParams;
  const queue = exceptionQueues.find((q) => q === first(search.queue));
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <ExceptionsWorkbench
          canAct={canActOnExceptions(user.role)}
          viewer={{ id: user.id, role: user.role }}
          initialQueue={queue}
          initialItemId={first(search.item)?.slice(0, 128) ?? null}
        />
      </main>
    </>
  );
}
