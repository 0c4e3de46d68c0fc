'use client';

export interface DemoAccount {
  /** The role's display name. */
  role: string;
  email: string;
  password: string;
}

/** Shown only when the server runs with demo users, so a first start needs no reading to sign in. */
export function DemoAccountsHint({ accounts, onPick }: { accounts: DemoAccount[]; onPick: (account: DemoAccount) => void }) {
  return (
    <section className="demo-hint" data-testid="demo-accounts">
      <h2>Demo accounts</h2>
      <p className="muted">This server created one account per role. Click one to fill the form.</p>
      <ul>
        {accounts.map((account) => (
          <li key={account.email}>
            <button type="button" className="demo-hint__account" onClick={() => onPick(account)}>
              <span className="demo-hint__role">{account.role}</span>
              <code>{account.email}</code>
              <code>{account.password}</code>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
