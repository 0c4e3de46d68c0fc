import { ExceptionsWorkbench } from '@/components/exceptions/ExceptionsWorkbench';
import { AppHeader } from '@/components/shell/AppHeader';
import { requireSession } from '@/lib/auth/require-session';
import { canActOnExceptions } from '@/lib/auth/roles';

export const dynamic = 'force-dynamic';

export default async function ExceptionsPage() {
  const { user } = await requireSession('/exceptions');
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <ExceptionsWorkbench canAct={canActOnExceptions(user.role)} />
      </main>
    </>
  );
}
