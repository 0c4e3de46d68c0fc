import { ROLE_LABELS, type Role } from '@/lib/auth/roles';
import { SignOutButton } from './SignOutButton';

export function AppHeader({ user }: { user: { name: string; email: string; role: Role } }) {
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <span className="app-header__mark" aria-hidden="true" />
        Control Tower
      </div>
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
