import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { launchChromium } from './support/browser';
import { postEvents, returnRequested } from './support/events';
import { signInThroughForm } from './support/sign-in';
import { startTower, type RunningTower } from './support/tower-server';

/**
 * The drill-through pages on what the sandbox core created: an executive (the narrowest viewer)
 * opens an order from its exception, follows its SKU, a return and the return's order, and an id
 * nobody knows gets a clear page.
 */
let tower: RunningTower | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

const listSchema = z.object({
  items: z.array(z.object({ id: z.string(), queue: z.string(), status: z.string(), entities: z.array(z.object({ kind: z.string(), id: z.string() })) })),
});

const coreRefundSchema = z.object({ view: z.object({ returnId: z.string().nullable() }) });

beforeAll(async () => {
  try {
    // Three days of history: orders on hold, shipments, and the first returns of delivered orders.
    tower = await startTower({ env: { SANDBOX_RATE: '12', SANDBOX_BACKFILL_DAYS: '3' }, readyTimeoutMs: 300_000 });
    browser = await launchChromium();
  } catch (err) {
    await browser?.close();
    await tower?.stop();
    throw err;
  }
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await tower?.stop();
});

async function waitForBackfill(): Promise<void> {
  // About two minutes on a quiet 2-core machine (npm run bench:first-start); a loaded one takes
  // longer. Exceptions are judged once the history is in.
  const deadline = Date.now() + 900_000;
  while (!/the history judged/.test(tower?.output() ?? '')) {
    if (Date.now() > deadline) throw new Error(`the sandbox backfill did not finish:\n${tower?.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function exceptionsWith(page: Page, query: string) {
  const response = await page.request.get(`${tower?.baseUrl}/api/exceptions?${query}`);
  expect(response.status()).toBe(200);
  return listSchema.parse(await response.json()).items;
}

describe('drill-through pages, end to end in Chromium', () => {
  it('opens an order, its SKU, a return and the return’s order; an unknown id gets a clear page', async () => {
    await waitForBackfill();
    if (!browser || !tower) throw new Error('the server or the browser did not start');
    context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await signInThroughForm(page, tower.baseUrl, 'executive', '/exceptions');

    // An order the sandbox put on hold: it has an exception, events and a state in the core.
    // Orders finished during the backfill live only in the tower's history, not in the core: take
    // the first hold (open ones first) whose order the core still knows.
    const holds = (await exceptionsWith(page, 'queue=order_holds&status=all'))
      .filter((i) => i.entities[0]?.kind === 'order')
      .sort((a, b) => Number(a.status === 'resolved') - Number(b.status === 'resolved'));
    let hold: (typeof holds)[number] | undefined;
    for (const candidate of holds) {
      const known = await page.request.get(`${tower.baseUrl}/api/core/order/${encodeURIComponent(candidate.entities[0].id)}`);
      if (known.status() === 200) {
        hold = candidate;
        break;
      }
    }
    if (!hold) throw new Error(`the sandbox raised no order hold whose order the core knows (${holds.length} holds)`);
    const orderId = hold.entities[0].id;
    await page.goto(`${tower.baseUrl}/orders/${encodeURIComponent(orderId)}`);
    expect(await page.getByTestId('entity-title').innerText()).toContain(orderId);
    expect(await page.getByTestId('timeline-event').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('event-timeline').innerText()).toContain('order.created');
    await page
      .getByTestId('core-order')
      .waitFor()
      .catch(async (err: unknown) => {
        const shown = await page.locator('main').innerText();
        throw new Error(`${String(err)}\nthe page showed:\n${shown.slice(0, 3000)}\nserver output:\n${tower?.output().slice(-3000)}`);
      });
    await page.getByTestId('freshness').waitFor();
    const exceptionLink = page.getByTestId('entity-exceptions').locator(`a[href*="item=${hold.id}"]`);
    expect(await exceptionLink.count()).toBe(1);

    // Its exception link opens the queue on that item, resolved or not, loaded among the first rows
    // or not (the sandbox may release the hold meanwhile).
    await exceptionLink.click();
    await page.waitForURL((url) => url.pathname === '/exceptions');
    await page.getByTestId('exception-panel').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('exception-panel').locator('h2').innerText()).toContain(orderId);
    await page.goBack();

    // One of its SKUs: stock by warehouse, flows, returns and margin with its definition.
    const skuLink = page.getByTestId('order-sku-links').locator('a').first();
    const sku = await skuLink.innerText();
    await skuLink.click();
    await page.waitForURL((url) => url.pathname === `/skus/${encodeURIComponent(sku)}`);
    expect(await page.getByTestId('entity-title').innerText()).toContain(sku);
    expect(await page.getByTestId('stock-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('margin-help').innerText()).toContain('gross margin = sales − cost');
    await page.getByTestId('sku-margin').waitFor();

    // A return the sandbox created: from this SKU's latest returns, an exception that links one,
    // or a refund the core says was for one.
    const recent = page.getByTestId('recent-returns').locator('a[href^="/returns/"]');
    let returnId = (await recent.count()) > 0 ? await recent.first().innerText() : undefined;
    // The returns queue's items link returns and refunds (a page of the whole list may hold none).
    const linked = await exceptionsWith(page, 'queue=returns_refunds&status=all');
    returnId ??= linked.flatMap((i) => i.entities).find((e) => e.kind === 'return')?.id;
    const refundIds = [...new Set(linked.flatMap((i) => i.entities).filter((e) => e.kind === 'refund').map((e) => e.id))];
    for (const refundId of refundIds.slice(0, 40)) {
      if (returnId) break;
      const answer = await page.request.get(`${tower.baseUrl}/api/core/refund/${encodeURIComponent(refundId)}`);
      if (answer.ok()) returnId = coreRefundSchema.parse(await answer.json()).view.returnId ?? undefined;
    }
    if (!returnId) {
      // A short history may hold no return yet: a shop's system reports one for this order.
      returnId = `e2e-rma-${randomUUID()}`;
      const answer = await postEvents(tower.baseUrl, tower.ingestKey, [returnRequested({ returnId, orderId, sku })]);
      expect(answer).toMatchObject({ status: 200, body: { accepted: 1 } });
    }
    await page.goto(`${tower.baseUrl}/returns/${encodeURIComponent(returnId)}`);
    expect(await page.getByTestId('entity-title').innerText()).toContain(returnId);
    expect(await page.getByTestId('return-line').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('event-timeline').innerText()).toContain('return.requested');
    const orderLink = page.getByTestId('return-order-link');
    const returnOrderId = await orderLink.innerText();
    await orderLink.click();
    await page.waitForURL((url) => url.pathname === `/orders/${encodeURIComponent(returnOrderId)}`);
    expect(await page.getByTestId('order-return-links').innerText()).toContain(returnId);

    // Nobody knows this id: a page that says so, not an error.
    for (const path of ['/orders/NO-SUCH-ORDER', '/returns/NO-SUCH-RETURN', '/skus/NO-SUCH-SKU']) {
      await page.goto(`${tower.baseUrl}${path}`);
      expect(await page.getByTestId('entity-not-found').innerText()).toContain('NO-SUCH');
    }
    await context.close();
  }, 1_200_000);
});
