import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { orderCreated, postEvents } from './support/events';
import { signInThroughForm } from './support/sign-in';
import { startTower, type RunningTower } from './support/tower-server';

declare global {
  interface Window {
    __towerMarker?: string;
  }
}

let tower: RunningTower | undefined;
let browser: Browser | undefined;

function server(): RunningTower {
  if (!tower) throw new Error('the server did not start');
  return tower;
}

async function newPage(): Promise<Page> {
  if (!browser) throw new Error('the browser did not start');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return context.newPage();
}

async function ordersTileValue(page: Page): Promise<number> {
  const text = await page.getByTestId('tile-orders-value').innerText();
  const value = Number(text.replace(/,/g, ''));
  if (!Number.isInteger(value)) throw new Error(`the orders tile shows "${text}", not a count`);
  return value;
}

beforeAll(async () => {
  try {
    tower = await startTower();
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

describe('live board', () => {
  it('sends a visitor without a session to sign-in, and refuses the board API', async () => {
    const page = await newPage();
    await page.goto(`${server().baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/');

    const response = await fetch(`${server().baseUrl}/api/board`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/sign in/i) });
    await page.context().close();
  });

  it('tells a person who mistypes the password, and lists the demo accounts', async () => {
    const page = await newPage();
    await page.goto(`${server().baseUrl}/sign-in`);
    await expect.poll(() => page.getByTestId('demo-accounts').isVisible()).toBe(true);
    await page.getByLabel('Email').fill('executive@demo.tower');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('sign-in-error').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('sign-in-error').innerText()).toMatch(/do not match/);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.context().close();
  });

  it('shows new orders on the orders tile within 2 s, without a reload', async () => {
    const page = await newPage();
    await signInThroughForm(page, server().baseUrl, 'executive', '/');
    await page.getByTestId('tile-orders-value').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('user-role').innerText()).toBe('Executive');
    const before = await ordersTileValue(page);

    await page.evaluate(() => {
      window.__towerMarker = 'same page';
    });
    const postedAt = Date.now();
    const answer = await postEvents(server().baseUrl, server().ingestKey, [orderCreated(), orderCreated({ channel: 'marketplace_a' }), orderCreated()]);
    expect(answer).toMatchObject({ status: 200, body: { accepted: 3 } });

    const remainingMs = Math.max(1, 2000 - (Date.now() - postedAt));
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid="tile-orders-value"]')?.textContent?.replace(/,/g, '') === String(expected),
      before + 3,
      { timeout: remainingMs },
    );
    expect(await ordersTileValue(page)).toBe(before + 3);
    expect(await page.evaluate(() => window.__towerMarker)).toBe('same page');
    expect(await page.getByTestId('live-paused').count()).toBe(0);

    await page.mouse.move(0, 0);
    await page.screenshot({ path: process.env.BOARD_SCREENSHOT ?? '/tmp/board.png', fullPage: true });
    await page.context().close();
  });
});
