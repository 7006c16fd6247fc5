// The dashboard for an admin and for a workspace's own key, in Debian's Chromium: logging in with the keyboard alone
// (focus visible, there and on a webhook's page), the workspace switcher (admins only), and the event-type catalog
// (create with a schema and see it, field errors, delete).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkAndCapture, launchChromium, logIn, openPage, startServedApp, type ServedApp } from './browser-harness.js';

let hookd: ServedApp;
let browser: Browser;
let secondWorkspaceKey: string;
let ownWebhookId: string;

beforeAll(async () => {
  [hookd, browser] = await Promise.all([startServedApp(), launchChromium()]);
  const second = await hookd.call('POST', '/api/v1/workspaces', { body: { name: 'Second shop' } });
  const key = await hookd.call('POST', `/api/v1/workspaces/${second.body.id}/keys`, { body: { name: 'ops' } });
  secondWorkspaceKey = key.body.key;
  const webhook = { url: 'https://second.example.com/hooks', events: ['*'] };
  expect((await hookd.call('POST', '/api/v1/webhooks', { key: secondWorkspaceKey, body: webhook })).status).toBe(201);
  const own = await hookd.call('POST', '/api/v1/webhooks', {
    body: { url: 'https://default.example.com/hooks', events: ['*'] },
  });
  expect(own.status).toBe(201);
  ownWebhookId = own.body.id;
});
afterAll(async () => {
  await browser?.close();
  await hookd?.close();
});

/** The outline of the focused element: what a keyboard user sees. */
const focusOutline = (page: Page) =>
  page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return {
      tag: document.activeElement!.tagName,
      width: style.outlineWidth,
      style: style.outlineStyle,
      boxShadow: style.boxShadow,
    };
  });

/** An outline a person can see (or a focus ring drawn as a shadow). */
const visible = (focused: Awaited<ReturnType<typeof focusOutline>>) =>
  (focused.style !== 'none' && parseFloat(focused.width) > 0) || focused.boxShadow !== 'none';

test('a person logs in with the keyboard alone and sees where the focus is', async () => {
  const { page } = await openPage(browser);
  await page.goto(`${hookd.origin}/`);
  await page.getByLabel('API key').waitFor();
  await page.keyboard.press('Tab');
  const focused = await focusOutline(page);
  expect(focused.tag).toBe('INPUT');
  expect(focused.style).not.toBe('none');
  expect(parseFloat(focused.width)).toBeGreaterThanOrEqual(2);
  await page.keyboard.type(hookd.adminKey);
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'https://default.example.com/hooks' }).waitFor();
}, 120_000);

test("Tab through a webhook's page: each button, link and <summary> shows where the focus is", async () => {
  const { page } = await openPage(browser);
  await logIn(page, hookd.origin, hookd.adminKey);
  await page.goto(`${hookd.origin}/#/webhooks/${ownWebhookId}`);
  // The Settings <summary> is the page's last control: its form loads with the event-type catalog.
  await page.locator('summary', { hasText: 'Settings' }).waitFor();
  const seen = new Map<string, boolean>();
  // The page has a few dozen stops; the bound only stops a loop that would never reach a <summary>.
  for (let presses = 0; presses < 100 && !seen.has('SUMMARY'); presses++) {
    await page.keyboard.press('Tab');
    const focused = await focusOutline(page);
    if (['A', 'BUTTON', 'SUMMARY'].includes(focused.tag) && !seen.has(focused.tag))
      seen.set(focused.tag, visible(focused));
  }
  expect(Object.fromEntries(seen)).toEqual({ A: true, BUTTON: true, SUMMARY: true });
}, 120_000);

test('an admin switches workspaces; a workspace key has no switcher and sees only its own', async () => {
  const { page } = await openPage(browser);
  await logIn(page, hookd.origin, hookd.adminKey);
  await page.getByRole('link', { name: 'https://default.example.com/hooks' }).waitFor();
  await page.getByLabel('Workspace').selectOption({ label: 'Second shop' });
  await page.getByRole('link', { name: 'https://second.example.com/hooks' }).waitFor();
  expect(await page.getByRole('link', { name: 'https://default.example.com/hooks' }).count()).toBe(0);

  const other = await openPage(browser);
  await logIn(other.page, hookd.origin, secondWorkspaceKey);
  await other.page.getByRole('link', { name: 'https://second.example.com/hooks' }).waitFor();
  expect(await other.page.getByLabel('Workspace').count()).toBe(0);
  expect(await other.page.getByRole('link', { name: 'https://default.example.com/hooks' }).count()).toBe(0);
}, 120_000);

test('the event-type catalog: create with a schema, see a field error, pick it in New webhook, delete it', async () => {
  const { page, problems } = await openPage(browser);
  await logIn(page, hookd.origin, hookd.adminKey);
  await page.getByRole('link', { name: 'Event types' }).click();
  await page.getByRole('heading', { name: 'Event types', level: 1 }).waitFor();

  await page.getByLabel('Name').fill('invoice.paid');
  await page.getByLabel('Description').fill('An invoice was paid in full.');
  await page.getByLabel('JSON Schema of data').fill('{"type": "object", "required": ["amount"]');
  await page.getByRole('button', { name: 'Create event type' }).click();
  await page.locator('.field-error', { hasText: 'must be JSON' }).waitFor();
  const schema = { type: 'object', required: ['amount'], properties: { amount: { type: 'integer' } } };
  await page.getByLabel('JSON Schema of data').fill(JSON.stringify(schema));
  await page.getByRole('button', { name: 'Create event type' }).click();
  await page.getByRole('heading', { name: 'invoice.paid' }).waitFor();
  await page.getByText('An invoice was paid in full.').waitFor();
  // The schema is stored as given, and shown with the event type.
  expect((await hookd.call('GET', '/api/v1/event-types/invoice.paid')).body.schema).toEqual(schema);
  const card = page.locator('li.event-type', { hasText: 'invoice.paid' });
  await card.locator('summary', { hasText: 'Schema' }).click();
  await card.locator('pre', { hasText: '"amount"' }).waitFor({ state: 'visible' });
  await checkAndCapture(page, 'event-types');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('link', { name: 'New webhook' }).first().click();
  await page.getByRole('checkbox', { name: 'invoice.paid' }).waitFor();

  await page.getByRole('link', { name: 'Event types' }).click();
  await page.getByRole('button', { name: 'Delete invoice.paid' }).click();
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  await page.getByText('The catalog is empty.').waitFor();
  expect((await hookd.call('GET', '/api/v1/event-types/invoice.paid')).status).toBe(404);
  expect(problems.errors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
}, 120_000);

test('a session ends with its key: revoked while the page is open, the next call shows the log-in again', async () => {
  const issued = await hookd.call('POST', `/api/v1/workspaces/${hookd.workspaceId}/keys`, { body: { name: 'temp' } });
  const { page } = await openPage(browser);
  await logIn(page, hookd.origin, issued.body.key);
  await page.getByRole('link', { name: 'https://default.example.com/hooks' }).waitFor();
  const revoked = await hookd.call('DELETE', `/api/v1/workspaces/${hookd.workspaceId}/keys/${issued.body.id}`);
  expect(revoked.status).toBe(204);
  await page.getByRole('link', { name: 'Event types' }).click();
  await page.getByLabel('API key').waitFor();
  await page.reload();
  await page.getByLabel('API key').waitFor();
}, 120_000);
