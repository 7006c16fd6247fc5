// The workspace's settings page, in Debian's Chromium: an admin sets where alerts go and when a failing webhook is
// disabled, sees the API's message beside a wrong field, sees the alert secret once and replaces it, clears a
// setting; a workspace's own key has no such page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkAndCapture, launchChromium, logIn, openPage, startServedApp, type ServedApp } from './browser-harness.js';

let hookd: ServedApp;
let browser: Browser;

beforeAll(async () => {
  [hookd, browser] = await Promise.all([startServedApp(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await hookd?.close();
});

const readWorkspace = async () => (await hookd.call('GET', `/api/v1/workspaces/${hookd.workspaceId}`)).body;

async function openSettings(page: Page): Promise<void> {
  await logIn(page, hookd.origin, hookd.adminKey);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workspace settings' }).click();
  await page.getByRole('heading', { name: 'Workspace settings', level: 1 }).waitFor();
  await page.getByLabel('Name').waitFor();
}

test('an admin sets the alert email, alert URL and auto-disable, and a wrong URL is named beside its field', async () => {
  const { page, problems } = await openPage(browser);
  await openSettings(page);
  await page.getByLabel('Alert email').fill('ops@shop.example');
  await page.getByLabel('Alert URL').fill('ftp://alerts.shop.example/hookd');
  await page.getByLabel('Disable a webhook failing for').fill('5d');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('.field-error', { hasText: 'must be an http or https URL' }).waitFor();
  expect((await readWorkspace()).alertEmail).toBeNull();

  await page.getByLabel('Alert URL').fill('https://alerts.shop.example/hookd');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  expect(await readWorkspace()).toMatchObject({
    alertEmail: 'ops@shop.example',
    alertUrl: 'https://alerts.shop.example/hookd',
    autoDisableAfter: '5d',
  });
  // The save that first set an alert URL is the one time its signing secret is shown.
  const shown = await page.getByTestId('secret').textContent();
  expect(shown).toMatch(/^whsec_/);
  expect(JSON.stringify(await readWorkspace())).not.toContain(shown);
  await checkAndCapture(page, 'settings');

  await page.getByRole('button', { name: 'Replace alert secret' }).click();
  await page.getByRole('button', { name: 'Yes, replace it' }).click();
  await page.getByTestId('secret').filter({ hasNotText: shown! }).waitFor();
  expect(await page.getByTestId('secret').textContent()).toMatch(/^whsec_/);

  await page.getByLabel('Alert email').fill('');
  await page.getByLabel('Sites that may embed the portal').fill('https://app.shop.example\nhttps://admin.shop.example');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  expect(await readWorkspace()).toMatchObject({
    alertEmail: null,
    portalOrigins: ['https://app.shop.example', 'https://admin.shop.example'],
  });
  expect(problems.errors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
}, 120_000);

test("a workspace's own key sees no workspace settings, and the address alone says settings need an admin key", async () => {
  const issued = await hookd.call('POST', `/api/v1/workspaces/${hookd.workspaceId}/keys`, { body: { name: 'own' } });
  const { page } = await openPage(browser);
  await logIn(page, hookd.origin, issued.body.key);
  expect(
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workspace settings' }).count(),
  ).toBe(0);
  await page.goto(`${hookd.origin}/#/settings`);
  await page.getByText('changed with an admin API key').waitFor();
}, 120_000);
