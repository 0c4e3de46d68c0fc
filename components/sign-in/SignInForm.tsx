'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { authClient } from '@/lib/auth/auth-client';
import { DemoAccountsHint, type DemoAccount } from './DemoAccountsHint';

export function SignInForm({ returnTo, demoAccounts }: { returnTo: string; demoAccounts: DemoAccount[] }) {
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { error: failure } = await authClient.signIn.email({ email, password });
      if (failure) {
        setError(
          failure.status === 401 || failure.code === 'INVALID_EMAIL_OR_PASSWORD'
            ? 'That email and password do not match an account. Check both and try again.'
            : (failure.message ?? 'Sign-in failed. Try again in a moment.'),
        );
        return;
      }
      router.replace(returnTo);
      router.refresh();
    } catch {
      setError('The server could not be reached. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form className="sign-in__form" onSubmit={submit} noValidate>
        <label className="field">
          <span>Email</span>
          <input name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy || !email || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {demoAccounts.length > 0 && (
        <DemoAccountsHint
          accounts={demoAccounts}
          onPick={(account) => {
            setEmail(account.email);
            setPassword(account.password);
          }}
        />
      )}
    </>
  );
}
