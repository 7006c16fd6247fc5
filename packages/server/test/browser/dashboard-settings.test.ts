// A webhook's settings and its delivery log's filters, in Debian's Chromium: the form shows the webhook as it is,
// saves a change without losing the stored header values it shows masked, puts the API's message beside the field;
// the log filters by status and event type, finds a delivery by id, and pages; a failing webhook is marked so in the
// list, and its delivery waiting for a retry says when the next attempt is.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { launchChromium, logIn, openPage, startServedApp, type ServedApp } from './browser-harness.js';

let hookd: ServedApp;
let receiver: Receiver;
let browser: Browser;
let webhookId: string;

beforeAll(async () => {
  [hookd, receiver, browser] = await Promise.all([startServedApp(), startReceiver(), launchChromium()]);
  const created = await hookd.call('POST', '/api/v1/webhooks', {
    body: {
      url: receiver.url,
      events: ['shop.*'],
      headers: { Authorization: 'Bearer receiver-credential' },
      retry: { schedule: ['1m', '5m', '30m'], retryOn4xx: false },
    },
  });
  webhookId = created.body.id;
});
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await hookd?.close();
});

async function openSettings(page: Page): Promise<void> {
  await page.goto(`${hookd.origin}/#/webhooks/${webhookId}`);
  await page.locator('summary', { hasText: 'Settings' }).click();
  await page.getByLabel('Endpoint URL').waitFor();
}

test('the settings show the webhook as it is and save a change, keeping the masked header value', async () => {
  const { page } = await openPage(browser);
  await logIn(page, hookd.origin, hookd.adminKey);
  await openSettings(page);
  expect(await page.getByLabel('Retry schedule').inputValue()).toBe('minutes');
  expect(await page.getByLabel('Retry after a 4xx answer').isChecked()).toBe(false);
  expect(await page.getByLabel('Custom headers').inputValue()).toBe('Authorization: [redacted]');

  await page.getByLabel('Endpoint URL').fill('ftp://example.com/hooks');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#wh-url-error').waitFor();

  await page.getByLabel('Endpoint URL').fill(receiver.url);
  await page.getByLabel('Description').fill('Orders for the warehouse');
  await page.getByLabel('Rate limit').fill('50');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('p.muted', { hasText: 'Orders for the warehouse' }).waitFor();
  const saved = (await hookd.call('GET', `/api/v1/webhooks/${webhookId}`)).body;
  expect(saved).toMatchObject({ description: 'Orders for the warehouse', rateLimit: 50, url: receiver.url });

  // The stored value was kept: the receiver still gets it.
  await page.getByRole('button', { name: 'Send test' }).click();
  await page.getByTestId('test-result').filter({ hasText: '200' }).waitFor();
  expect(receiver.requests.at(-1)!.headers.authorization).toBe('Bearer receiver-credential');
}, 120_000);

test('the delivery log filters by status and event type, finds a delivery by id, and pages', async () => {
  receiver.program({ then: (request) => ({ status: request.json?.type === 'shop.failed' ? 400 : 200 }) });
  const publish = (type: string) => hookd.call('POST', '/api/v1/events', { body: { type, data: {} } });
  for (let n = 0; n < 26; n++) await publish('shop.sold');
  await publish('shop.failed');
  // Every delivery is stored with its event; the failed one turns up under Failed once its attempt is recorded (the
  // log polls while the page is visible).
  const { page } = await openPage(browser);
  await logIn(page, hookd.origin, hookd.adminKey);
  await page.goto(`${hookd.origin}/#/webhooks/${webhookId}`);
  const rows = page.locator('table.deliveries tbody tr');
  await rows.first().waitFor();

  await page.getByLabel('Status').selectOption('failed');
  await page.locator('table.deliveries tbody tr', { hasText: 'shop.failed' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table.deliveries tbody tr').length === 1);
  const failedId = (await rows.first().getByRole('link').textContent())!;

  await page.getByLabel('Status').selectOption('');
  await page.getByLabel('Event type').fill('shop.sold');
  await page.getByLabel('Event type').press('Enter');
  await page.getByRole('button', { name: 'Older' }).and(page.locator(':not([disabled])')).waitFor();
  expect(await rows.filter({ hasText: 'shop.failed' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Older' }).click();
  await page.getByText('Page 2').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table.deliveries tbody tr').length === 1);

  await page.getByLabel('Event type').fill('');
  await page.getByLabel('Search by delivery or event id').fill(failedId);
  await page.getByLabel('Search by delivery or event id').press('Enter');
  await page.waitForFunction((id) => {
    const links = Array.from(document.querySelectorAll('table.deliveries tbody tr a'));
    return links.length === 1 && links[0]!.textContent === id;
  }, failedId);

  // The same delivery found by its event's id.
  const { eventId } = (await hookd.call('GET', `/api/v1/deliveries/${failedId}`)).body;
  await page.getByLabel('Search by delivery or event id').fill(eventId);
  await page.getByLabel('Search by delivery or event id').press('Enter');
  await page.waitForFunction((id) => {
    const rows = Array.from(document.querySelectorAll('table.deliveries tbody tr'));
    return rows.length === 1 && rows[0]!.textContent.includes(id);
  }, failedId);
}, 120_000);

test('a failing webhook is marked failing in the list, and its delivery page says when the next attempt is', async () => {
  // Its own receiver. A 500 leaves a retry due an hour later (well after the test has looked); a 400, not retried,
  // ends its delivery failed, which is what turns the webhook failing.
  const failing = await startReceiver({
    then: (request) => ({ status: request.json?.type === 'ledger.voided' ? 400 : 500, body: 'down' }),
  });
  try {
    const created = await hookd.call('POST', '/api/v1/webhooks', {
      body: {
        url: failing.url,
        description: 'Refunds for the ledger',
        events: ['ledger.*'],
        retry: { schedule: ['1h'], retryOn4xx: false },
      },
    });
    expect(created.status).toBe(201);
    await hookd.call('POST', '/api/v1/events', { body: { type: 'ledger.refunded', data: {} } });
    await hookd.call('POST', '/api/v1/events', { body: { type: 'ledger.voided', data: {} } });

    const { page } = await openPage(browser);
    await logIn(page, hookd.origin, hookd.adminKey);
    await page.goto(`${hookd.origin}/#/webhooks/${created.body.id}`);
    // The log polls: the 400 shows as failed once recorded (so the webhook is failing by then), the 500 as pending.
    await page
      .locator('table.deliveries tbody tr', { hasText: 'ledger.voided' })
      .filter({ hasText: 'failed' })
      .waitFor();
    const answered = page.locator('table.deliveries tbody tr', { hasText: 'ledger.refunded' }).filter({
      has: page.locator('td[data-label="Response"]', { hasText: /^500$/ }),
    });
    await answered.getByRole('link').click();
    await page.getByRole('heading', { name: /^Delivery/ }).waitFor();
    const deliveryId = /#\/deliveries\/([\w-]+)/.exec(page.url())![1]!;
    const { nextAttemptAt } = (await hookd.call('GET', `/api/v1/deliveries/${deliveryId}`)).body;
    expect(nextAttemptAt).toEqual(expect.any(String));
    // Shown as the browser writes that moment, not "none".
    const shown = page.locator('.facts > div', { has: page.getByText('Next attempt', { exact: true }) }).locator('dd');
    expect(await shown.textContent()).toBe(await page.evaluate((iso) => new Date(iso).toLocaleString(), nextAttemptAt));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    const row = page.locator('table.webhooks tbody tr', { has: page.getByRole('link', { name: failing.url }) });
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toBe('failing');
    expect(await row.getByText('Refunds for the ledger').count()).toBe(1);
  } finally {
    await failing.close();
  }
}, 120_000);
