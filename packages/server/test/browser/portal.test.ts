// The portal in Debian's Chromium: a link from POST /portal-sessions opens the dashboard inside an iframe of an
// origin the workspace allows (branded with its name and accent colour, no switcher, no log out), is refused inside
// an iframe of any other origin (CSP frame-ancestors), narrows to its webhooks, hides writes when read-only, and is
// dead once it has expired.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { checkAndCapture, launchChromium, openPage, startServedApp, type ServedApp } from './browser-harness.js';

const ACCENT = '#c2255c';

/** A page of a product built on hookd, showing the portal link in an iframe. */
async function startEmbedder(): Promise<{ origin: string; show: (url: string) => string; close: () => Promise<void> }> {
  let portalUrl = '';
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const src = portalUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    response.end(
      `<!doctype html><title>Acme settings</title><h1>Acme</h1><iframe title="Webhooks" src="${src}" width="1200" height="700"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    show: (url) => ((portalUrl = url), `${origin}/`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let clockOffsetMs = 0;
let hookd: ServedApp;
let receiver: Receiver;
let browser: Browser;
let allowed: Awaited<ReturnType<typeof startEmbedder>>;
let stranger: Awaited<ReturnType<typeof startEmbedder>>;
const webhookIds: string[] = [];

beforeAll(async () => {
  [hookd, receiver, browser, allowed, stranger] = await Promise.all([
    startServedApp({ clock: () => new Date(Date.now() + clockOffsetMs) }),
    startReceiver(),
    launchChromium(),
    startEmbedder(),
    startEmbedder(),
  ]);
  const workspace = { portalOrigins: [allowed.origin], accentColor: ACCENT, name: 'Acme customers' };
  expect((await hookd.call('PATCH', `/api/v1/workspaces/${hookd.workspaceId}`, { body: workspace })).status).toBe(200);
  for (const path of ['/orders', '/refunds']) {
    const created = await hookd.call('POST', '/api/v1/webhooks', {
      body: { url: receiver.origin + path, events: ['*'] },
    });
    webhookIds.push(created.body.id);
  }
  await hookd.call('POST', '/api/v1/events', { body: { type: 'order.created', data: { n: 1 } } });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([receiver?.close(), allowed?.close(), stranger?.close()]);
  await hookd?.close();
});

async function portalLink(options: Record<string, unknown> = {}): Promise<string> {
  const made = await hookd.call('POST', '/api/v1/portal-sessions', { body: options });
  expect(made.status).toBe(201);
  expect(made.body.url).toMatch(/\/portal\?ws=ws_[\w-]+#token=hps_/);
  return made.body.url.replace(/^https?:\/\/[^/]+/, hookd.origin);
}

test('a portal link works inside an iframe of an allowed origin, branded, without switcher or log out', async () => {
  const url = await portalLink();
  const { page, problems } = await openPage(browser);
  await page.goto(allowed.show(url));
  const portal = page.frameLocator('iframe[title="Webhooks"]');
  await portal.getByText('Acme customers').first().waitFor();
  await portal.getByRole('link', { name: receiver.origin + '/orders' }).waitFor();
  expect(await portal.getByRole('button', { name: 'Log out' }).count()).toBe(0);
  expect(await portal.getByLabel('Workspace').count()).toBe(0);
  const frame = page.frames().find((f) => f.url().includes('/portal'))!;
  expect(frame.url(), 'the token is taken out of the address').not.toContain('token=');
  expect(
    await frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()),
  ).toBe(ACCENT);
  // Not read-only: a person can act on their webhook.
  await portal.getByRole('link', { name: receiver.origin + '/orders' }).click();
  await portal.getByRole('button', { name: 'Send test' }).click();
  await portal.getByTestId('test-result').filter({ hasText: '200' }).waitFor();
  expect(problems.errors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
}, 120_000);

test('the same link inside an iframe of another origin is refused by frame-ancestors', async () => {
  const url = await portalLink();
  const { page } = await openPage(browser);
  const refused = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
  await page.goto(stranger.show(url));
  await refused;
  expect(await page.frameLocator('iframe[title="Webhooks"]').getByText('Acme customers').count()).toBe(0);
}, 120_000);

test('a read-only link for one webhook shows that webhook only, with no button that changes anything', async () => {
  const url = await portalLink({ readOnly: true, webhookIds: [webhookIds[0]] });
  const { page, problems } = await openPage(browser);
  await page.goto(url);
  await page.getByRole('link', { name: receiver.origin + '/orders' }).waitFor();
  expect(await page.getByRole('link', { name: receiver.origin + '/refunds' }).count()).toBe(0);
  expect(await page.getByRole('link', { name: 'New webhook' }).count()).toBe(0);
  await checkAndCapture(page, 'portal-webhooks');
  await page.getByRole('link', { name: receiver.origin + '/orders' }).click();
  await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
  await page.locator('table.deliveries tbody tr').first().waitFor();
  for (const name of ['Send test', 'Pause', 'Rotate secret', 'Delete', 'Redeliver all failed since…'])
    expect(await page.getByRole('button', { name }).count(), name).toBe(0);
  expect(await page.getByRole('button', { name: /^Redeliver/ }).count()).toBe(0);
  await checkAndCapture(page, 'portal-webhook');
  expect(problems.errors).toEqual([]);
}, 120_000);

test('an expired link shows nothing of the workspace', async () => {
  const url = await portalLink({ expiresIn: '1h' });
  const token = /#token=(.+)$/.exec(url)![1]!;
  clockOffsetMs = 2 * 3_600_000;
  try {
    expect((await hookd.call('GET', '/api/v1/webhooks', { key: token })).status).toBe(401);
    const { page } = await openPage(browser);
    await page.goto(allowed.show(url));
    const portal = page.frameLocator('iframe[title="Webhooks"]');
    await portal.getByRole('heading', { name: 'This link has expired' }).waitFor();
    expect(await portal.getByText(receiver.origin).count()).toBe(0);
  } finally {
    clockOffsetMs = 0;
  }
}, 120_000);
