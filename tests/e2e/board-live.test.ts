import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerFamilies } from '@/analytics/kpis/families/ledger-families';
import { kpiCatalogue } from '@/analytics/kpis/kpi-catalogue';
import { KPI_SECTIONS, metricsOf } from '@/analytics/kpis/kpi-definition';
import { TV_ROTATE_MS } from '@/components/board/TvBoard';
import { launchChromium } from './support/browser';
import { orderCreated, postEvents } from './support/events';
import { signInThroughForm } from './support/sign-in';
import { startTower, type RunningTower } from './support/tower-server';

// The executive board against the real product: the sandbox backfills twelve quiet days and
// streams, so every tile whose ledger family exists has data in the last 7 days (a return is
// inspected a week or more after its order ships); live checks use a channel of their own, so the
// sandbox's stream cannot move the numbers they wait for.

/** Tiles that must show a value: those whose metrics some ledger family writes (the rest have not landed yet). */
const written = new Set(ledgerFamilies.flatMap((f) => f.metrics));
const tilesWithData = kpiCatalogue.filter((k) => metricsOf(k.value).every((m) => written.has(m))).map((k) => k.key);

let tower: RunningTower | undefined;
let browser: Browser | undefined;
let dataDir = '';
const run = Math.random().toString(36).slice(2, 8);

function server(): RunningTower {
  if (!tower) throw new Error('the server did not start');
  return tower;
}

async function newPage(): Promise<Page> {
  if (!browser) throw new Error('the browser did not start');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return context.newPage();
}

const tileText = (page: Page, key: string) => page.getByTestId(`tile-${key}-value`).innerText();
const count = (text: string) => Number(text.replace(/[,$]/g, ''));

async function waitForTile(page: Page, key: string, expected: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    ([k, want]) => document.querySelector(`[data-testid="tile-${k}-value"]`)?.textContent === want,
    [key, expected] as const,
    { timeout },
  );
}

/**
 * An order put on hold and released: the exceptions judged at the end of the history are still
 * open, so this is the first one resolved, and what gives the time-to-resolve tile a value.
 */
async function holdAndRelease(page: Page): Promise<void> {
  const created = orderCreated();
  const orderId = created.data.order_id;
  const step = (type: string, data: object) => ({ id: `evt-${type}-${orderId}`, type, occurred_at: new Date().toISOString(), source: 'e2e', data: { order_id: orderId, ...data } });
  const holdStatus = async () => {
    const response = await page.request.get(`${server().baseUrl}/api/exceptions?queue=order_holds&status=all&sort=age&dir=asc`);
    const { items } = (await response.json()) as { items: { status: string; entities: { id: string }[] }[] };
    return items.find((item) => item.entities[0]?.id === orderId)?.status ?? 'none';
  };
  expect((await postEvents(server().baseUrl, server().ingestKey, [created, step('order.held', { reason: 'payment' })])).status).toBe(200);
  await expect.poll(holdStatus, { timeout: 20_000 }).toBe('open');
  expect((await postEvents(server().baseUrl, server().ingestKey, [step('order.released', { by: 'e2e' })])).status).toBe(200);
  await expect.poll(holdStatus, { timeout: 20_000 }).toBe('resolved');
}

beforeAll(async () => {
  try {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tower-e2e-board-'));
    tower = await startTower({ dataDir, env: { SANDBOX_RATE: '0.5', SANDBOX_BACKFILL_DAYS: '12' } });
    const deadline = Date.now() + 360_000;
    while (!/backfill done/.test(tower.output())) {
      if (Date.now() > deadline)
        throw new Error(`the sandbox backfill did not finish:\n${tower.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    browser = await launchChromium();
  } catch (err) {
    await browser?.close();
    await tower?.stop();
    throw err;
  }
}, 480_000);

afterAll(async () => {
  await browser?.close();
  await tower?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
});

describe('executive board', () => {
  it('refuses the board API without a session', async () => {
    const response = await fetch(`${server().baseUrl}/api/board`);
    expect(response.status).toBe(401);
  });

  it('shows every tile with a value, changes range and filter in the URL, and drills down to an order', async () => {
    expect(tilesWithData.length).toBeGreaterThan(0);
    const page = await newPage();
    await signInThroughForm(page, server().baseUrl, 'executive', '/');
    await holdAndRelease(page);
    await page.goto(`${server().baseUrl}/?range=7d`);
    for (const key of kpiCatalogue.map((k) => k.key))
      await page.getByTestId(`tile-${key}`).waitFor({ timeout: 15_000 });
    for (const key of tilesWithData) {
      await expect
        .poll(() => tileText(page, key), { timeout: 15_000, message: `tile ${key} has a value` })
        .not.toBe('—');
    }
    const week = count(await tileText(page, 'orders'));
    expect(week).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Today', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/' && !url.searchParams.has('range'));
    await expect.poll(async () => count(await tileText(page, 'orders')), { timeout: 10_000 }).toBeLessThan(week);
    const today = count(await tileText(page, 'orders'));

    const channels = await page.getByTestId('filter-channel').locator('option').allInnerTexts();
    const channel = channels.find((c) => c !== 'all');
    if (!channel) throw new Error(`no channel to filter by: ${channels.join(', ')}`);
    await page.getByTestId('filter-channel').selectOption(channel);
    await page.waitForURL((url) => url.searchParams.get('channel') === channel);
    await expect.poll(async () => count(await tileText(page, 'orders')), { timeout: 10_000 }).toBeLessThan(today);

    // tile → breakdown → narrowed → the orders behind it → an order's page, the view travelling along
    await page.getByRole('button', { name: '7 days', exact: true }).click();
    await page.waitForURL(
      (url) => url.searchParams.get('range') === '7d' && url.searchParams.get('channel') === channel,
    );
    // The custom range starts from the days the board shows: "Custom" would ask for the same week.
    const lastDay = new Date().toISOString().slice(0, 10);
    const firstDay = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    await expect.poll(() => page.getByLabel('From', { exact: true }).inputValue(), { timeout: 10_000 }).toBe(firstDay);
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(lastDay);
    await page.getByTestId('tile-orders-drill').click();
    await page.waitForURL((url) => url.pathname === '/kpis/orders' && url.searchParams.get('channel') === channel);
    await page.getByTestId('breakdown-region').waitFor();
    const region = page.getByTestId('breakdown-region').locator('a').first();
    const regionName = await region.innerText();
    await region.click();
    await page.waitForURL(
      (url) => url.searchParams.get('region') === regionName && url.searchParams.get('range') === '7d',
    );
    await page.getByTestId('list-entities').click();
    await page.waitForURL((url) => url.searchParams.get('list') === '1');
    const order = page.getByTestId('entity-link').first();
    const orderId = await order.innerText();
    await order.click();
    await page.waitForURL(
      (url) => url.pathname === `/orders/${encodeURIComponent(orderId)}` && url.searchParams.get('channel') === channel,
    );
    await page.context().close();
  });

  it('shows each posted order in every open board of its view, live', async () => {
    const channel = `e2e-live-${run}`;
    const pages = [await newPage(), await newPage()];
    for (const page of pages) {
      await signInThroughForm(page, server().baseUrl, 'executive', '/');
      await page.goto(`${server().baseUrl}/?channel=${channel}`);
      await waitForTile(page, 'orders', '0', 15_000);
      await page.getByTestId('live-status').and(page.locator('[data-status="live"]')).waitFor({ timeout: 10_000 });
    }
    const latencies: number[] = [];
    for (let n = 1; n <= 10; n++) {
      const postedAt = Date.now();
      const answer = await postEvents(server().baseUrl, server().ingestKey, [orderCreated({ channel })]);
      expect(answer).toMatchObject({ status: 200, body: { accepted: 1 } });
      await Promise.all(pages.map((page) => waitForTile(page, 'orders', String(n), 20_000)));
      latencies.push(Date.now() - postedAt);
    }
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.ceil(0.95 * latencies.length) - 1];
    // Timings are printed for the record; targets are for benchmarks, never assertions in tests.
    console.log(`board live latency ms: ${latencies.join(', ')} (p95 ${p95})`);
    expect(await pages[0].getByTestId('live-paused').count()).toBe(0);
    await pages[0].screenshot({ path: process.env.BOARD_SCREENSHOT ?? '/tmp/board.png', fullPage: true });
    for (const page of pages) await page.context().close();
  });

  it('keeps a drill-down current: a posted order moves its number without a reload', async () => {
    const channel = `e2e-drill-${run}`;
    const page = await newPage();
    await signInThroughForm(page, server().baseUrl, 'executive', '/');
    await page.goto(`${server().baseUrl}/kpis/orders?channel=${channel}`);
    expect(await page.getByTestId('drill-value').innerText()).toBe('0');
    await page.getByTestId('drill-live').and(page.locator('[data-status="live"]')).waitFor({ timeout: 10_000 });
    // Set on this document: a reload or a navigation would lose it.
    await page.evaluate(() => Object.assign(window, { e2eStayed: true }));
    const answer = await postEvents(server().baseUrl, server().ingestKey, [orderCreated({ channel })]);
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1 } });
    await page.waitForFunction(() => document.querySelector('[data-testid="drill-value"]')?.textContent === '1', undefined, {
      timeout: 30_000,
    });
    expect(await page.evaluate(() => 'e2eStayed' in window)).toBe(true);
    await page.context().close();
  });

  it('runs TV mode through a server restart', async () => {
    const channel = `e2e-tv-${run}`;
    const page = await newPage();
    await signInThroughForm(page, server().baseUrl, 'executive', '/');
    await page.goto(`${server().baseUrl}/?tv=1&channel=${channel}`);
    await page.getByTestId('tv-board').waitFor({ timeout: 15_000 });
    await waitForTile(page, 'orders', '0', 15_000);
    expect(await page.getByTestId('board-controls').count()).toBe(0);
    expect(await page.getByTestId('tv-section').getAttribute('data-section')).toBe('sales');

    const { port, ingestKey } = { port: Number(new URL(server().baseUrl).port), ingestKey: server().ingestKey };
    await server().stop();
    await page.getByTestId('live-paused').waitFor({ timeout: 15_000 });
    tower = await startTower({ dataDir, port, ingestKey, env: { SANDBOX_RATE: '0.5', SANDBOX_BACKFILL_DAYS: '12' } });
    await page.getByTestId('live-paused').waitFor({ state: 'detached', timeout: 30_000 });

    await postEvents(server().baseUrl, server().ingestKey, [orderCreated({ channel })]);
    // The screen rotates between sections; the orders tile is back on it within one full turn.
    await waitForTile(page, 'orders', '1', KPI_SECTIONS.length * TV_ROTATE_MS + 30_000).catch(async (err: unknown) => {
      const shown = await page.evaluate(() => ({
        tile: document.querySelector('[data-testid="tile-orders-value"]')?.textContent,
        section: document.querySelector('[data-testid="tv-section"]')?.getAttribute('data-section'),
        paused: document.querySelectorAll('[data-testid="live-paused"]').length,
        text: document.body.innerText.slice(0, 600),
      }));
      throw new Error(
        `${String(err)}\nshown: ${JSON.stringify(shown)}\nserver output:\n${server().output().slice(-4000)}`,
      );
    });
    expect(await page.getByTestId('board-error').count()).toBe(0);
    await page.context().close();
  }, 360_000);
});
