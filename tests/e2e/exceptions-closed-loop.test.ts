import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { signInThroughForm, type DemoRole } from './support/sign-in';
import { startTower, type RunningTower } from './support/tower-server';

/**
 * The closed loop as two people live it: an ops lead claims a held order and releases it in the
 * sandbox core; the core's `order.released` comes back through ingest, the engine resolves the
 * exception, and a second person's open queue loses the row without a reload.
 */
let tower: RunningTower | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  try {
    // A day of history leaves dozens of orders on hold (fraud, address, payment, credit reviews).
    tower = await startTower({ env: { SANDBOX_RATE: '12', SANDBOX_BACKFILL_DAYS: '1' }, readyTimeoutMs: 300_000 });
    browser = await launchChromium();
  } catch (err) {
    await browser?.close();
    await tower?.stop();
    throw err;
  }
});

afterAll(async () => {
  await browser?.close();
  await tower?.stop();
});

async function openQueue(role: DemoRole): Promise<Page> {
  if (!browser || !tower) throw new Error('the server or the browser did not start');
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  await signInThroughForm(page, tower.baseUrl, role, '/exceptions');
  await page.getByTestId('queue-tab-order_holds').click();
  return page;
}

async function waitForBackfill(): Promise<void> {
  const deadline = Date.now() + 240_000;
  while (!/backfill done/.test(tower?.output() ?? '')) {
    if (Date.now() > deadline) throw new Error(`the sandbox backfill did not finish:\n${tower?.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('exceptions, end to end in Chromium', () => {
  it('an ops lead claims a held order and releases it; a second browser sees it leave the queue', async () => {
    await waitForBackfill();
    const lead = await openQueue('ops_lead');
    const watcher = await openQueue('admin');

    await lead.getByTestId('exception-row').first().waitFor({ timeout: 60_000 });
    await watcher.getByTestId('exception-row').first().waitFor({ timeout: 60_000 });
    // The sandbox keeps releasing holds on its own; take the newest hold both browsers show, which
    // it will not release for at least a dozen minutes.
    const shownBy = (page: Page) => page.getByTestId('exception-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-exception-id') ?? ''));
    const watched = new Set(await shownBy(watcher));
    const id = (await shownBy(lead)).reverse().find((candidate) => watched.has(candidate));
    if (!id) throw new Error('no held order is shown in both browsers');
    const row = (page: Page) => page.locator(`[data-exception-id="${id}"]`);

    await row(lead).click();
    const panel = lead.getByTestId('exception-panel');
    await panel.getByRole('button', { name: 'Claim', exact: true }).click();
    await expect.poll(() => panel.getByTestId('exception-status').innerText(), { timeout: 10_000 }).toContain('claimed');
    // The claim shows live in the other browser too.
    await expect.poll(() => row(watcher).innerText(), { timeout: 10_000 }).toContain('Ops');

    const release = panel.getByTestId('action-release_hold');
    await release.getByRole('button', { name: 'Release hold' }).click();
    await expect
      .poll(() => release.getByRole('status').innerText(), { timeout: 10_000 })
      .toMatch(/released/i)
      .catch((err: unknown) => {
        throw new Error(`${String(err)}\nserver output:\n${tower?.output().slice(-4000)}`);
      });

    // Gone from both queues, with no reload: the core's event closed the loop.
    await row(watcher).waitFor({ state: 'detached', timeout: 15_000 });
    await row(lead).waitFor({ state: 'detached', timeout: 15_000 });
    await panel.getByTestId('exception-gone').waitFor();
    expect(await watcher.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  });

  it('an executive sees the queues but is offered no actions', async () => {
    const exec = await openQueue('executive');
    await exec.getByTestId('exception-row').first().click();
    const panel = exec.getByTestId('exception-panel');
    await expect.poll(() => panel.innerText()).toContain('ops leads and admins act on it');
    expect(await panel.getByRole('button', { name: 'Claim', exact: true }).count()).toBe(0);
  });
});
