import Link from 'next/link';
import { ROLE_LABELS, type Role } from '@/lib/auth/roles';
import { SignOutButton } from './SignOutButton';

const PAGES = [
  { href: '/', label: 'Board' },
  { href: '/exceptions', label: 'Exceptions' },
];

const ADMIN_PAGES = [
  { href: '/admin/exception-rules', label: 'Exception rules' },
  { href: '/admin/people', label: 'People' },
  { href: '/admin/kpi-targets', label: 'KPI targets' },
  { href: '/admin/audit', label: 'Audit log' },
];

export function AppHeader({ user }: { user: { name: string; email: string; role: Role } }) {
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <span className="app-header__mark" aria-hidden="true" />
        Control Tower
      </div>
      <nav className="app-header__nav" aria-label="Pages">
        {PAGES.map((p) => (
          <Link key={p.href} href={p.href}>
            {p.label}
          </Link>
        ))}
        {user.role === 'admin' &&
          ADMIN_PAGES.map((p) => (
            <Link key={p.href} href={p.href}>
              {p.label}
            </Link>
          ))}
      </nav>
      <div className="app-header__user">
        <span title={user.email}>{user.name}</span>
        <span className="role-badge" data-testid="user-role">
          {ROLE_LABELS[user.role]}
        </span>
        <SignOutButton />
      </div>
    </header>
  );
}
