import type { Page } from 'playwright-core';

export type DemoRole = 'executive' | 'ops_lead' | 'analyst' | 'admin';

export function demoCredentials(role: DemoRole): { email: string; password: string } {
  return { email: `${role}@demo.tower`, password: `tower-demo-${role}` };
}

/** Signs in through the real form, as a person would, and waits to land on `returnTo`. */
export async function signInThroughForm(page: Page, baseUrl: string, role: DemoRole, returnTo = '/'): Promise<void> {
  const { email, password } = demoCredentials(role);
  await page.goto(`${baseUrl}/sign-in?next=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === returnTo, { timeout: 15_000 });
}
