// The dashboard end to end in Debian's Chromium, against a real hookd and a real receiver on 127.0.0.1: log in, see
// "Verify endpoint first" refuse a failing endpoint, create a webhook with a custom header and see its secret once,
// Send test, watch deliveries arrive, read a failure (whose <script> must not run), Redeliver, copy an attempt as curl
// and replay it (the header's value from a shell variable), rotate, pause and resume, re-enable, delete, log out.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { verify } from '@hookd/verify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { checkAndCapture, launchChromium, logIn, openPage, startServedApp, type ServedApp } from './browser-harness.js';

// The webhook's own header: hookd shows its value as [redacted], so the copied curl reads it from $AUTHORIZATION.
const AUTHORIZATION = 'Bearer some-token';
const SCRIPT_BODY =
  '<script>window.__hookdPwned = true</script><img src=x onerror="window.__hookdPwned = true">refused';

let hookd: ServedApp;
let receiver: Receiver;
let browser: Browser;

beforeAll(async () => {
  [hookd, receiver, browser] = await Promise.all([startServedApp(), startReceiver(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await hookd?.close();
});

/** The webhook page's delivery log row of the one delivery of `eventType`. */
const logRow = (page: Page, eventType: string) => page.locator('table.deliveries tbody tr', { hasText: eventType });

async function createWebhook(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'New webhook' }).first().click();
  await page.getByRole('heading', { name: 'New webhook' }).waitFor();
  await checkAndCapture(page, 'new-webhook');
  await page.getByLabel('Endpoint URL').fill(receiver.url);
  await page.getByLabel('Events or patterns').fill('order.*');
  await page.getByLabel('Retry schedule').selectOption({ label: 'Quick: 1s, 5s, 30s' });
  // A 4xx ends a delivery at once, so a failure stays failed until someone redelivers it.
  await page.getByLabel('Retry after a 4xx answer').uncheck();
  await page.getByLabel('Custom headers').fill(`Authorization: ${AUTHORIZATION}`);

  // "Verify the endpoint first" against an endpoint answering 500: refused, the reason beside the URL, nothing created.
  receiver.program({ then: { status: 500, body: 'down' } });
  await page.getByLabel('Verify the endpoint first').check();
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await page.locator('#wh-url-error').waitFor();
  expect(await page.locator('#wh-url-error').textContent()).toMatch(/500/);
  expect((await hookd.call('GET', '/api/v1/webhooks')).body.data).toEqual([]);
  receiver.program({ then: { status: 200, body: 'ok' } });
  await page.getByLabel('Verify the endpoint first').uncheck();

  await page.getByLabel('Timeout').fill('2m');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  // The API's message for the field, shown beside it.
  await page.locator('#wh-timeout-error').waitFor();
  expect(await page.locator('#wh-timeout-error').textContent()).toMatch(/between 1s and/);
  await page.getByLabel('Timeout').fill('5s');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await page.getByRole('heading', { name: 'Webhook created' }).waitFor();
  await page.getByText('it will not be shown again').waitFor();
  await page.getByRole('button', { name: 'Copy secret' }).waitFor();
  const secret = (await page.getByTestId('secret').textContent())!;
  expect(secret).toMatch(/^whsec_/);
  await checkAndCapture(page, 'secret-once');
  return secret;
}

async function replayCopiedCurl(page: Page): Promise<void> {
  // The page names the variable the webhook's own header value is read from.
  await page.getByTestId('curl-variables').first().filter({ hasText: 'AUTHORIZATION' }).waitFor();
  await page.getByRole('button', { name: 'Copy as curl' }).first().click();
  await page.getByText('Copied').first().waitFor();
  const command = await page.evaluate(() => navigator.clipboard.readText());
  expect(command).toContain(receiver.url);
  expect(command).toContain('webhook-signature: v1,');
  expect(command).not.toContain('[redacted]');
  const run = (env: NodeJS.ProcessEnv) =>
    promisify(execFile)('bash', ['-c', `${command} --silent --output /dev/null`], { env });
  const { AUTHORIZATION: _unset, ...withoutIt } = process.env;
  // Without the variable the shell refuses to run it, rather than sending a wrong header.
  await expect(run(withoutIt)).rejects.toThrow(/set AUTHORIZATION/);
  await run({ ...withoutIt, AUTHORIZATION });
}

test('a person logs in, creates a webhook, sends a test, reads and redelivers failures, and deletes it', async () => {
  const { page, problems } = await openPage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hookd.origin });

  await page.goto(`${hookd.origin}/`);
  await page.getByLabel('API key').waitFor();
  await checkAndCapture(page, 'login');
  await page.getByLabel('API key').fill('hk_not-a-key');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').waitFor();
  await logIn(page, hookd.origin, hookd.adminKey);
  await page.getByText('No webhooks yet').waitFor();
  await checkAndCapture(page, 'webhooks-empty');

  const secret = await createWebhook(page);
  await page.getByRole('link', { name: 'Go to the webhook' }).click();
  await page.getByRole('button', { name: 'Send test' }).waitFor();
  expect(await page.getByTestId('secret').count(), 'the secret is shown once only').toBe(0);
  const webhookId = /#\/webhooks\/(wh_[\w-]+)/.exec(page.url())![1]!;

  // Send test: the receiver's answer, in place; the delivery was signed with the secret shown.
  const beforeTest = receiver.requests.length;
  await page.getByRole('button', { name: 'Send test' }).click();
  await page.getByTestId('test-result').filter({ hasText: '200' }).waitFor();
  const tested = await receiver.nth(beforeTest + 1);
  expect(() => verify(tested.body, tested.headers as Record<string, string>, secret)).not.toThrow();
  expect(tested.headers.authorization).toBe(AUTHORIZATION);

  // Published through the API, shown in the log without a reload (the log polls while visible).
  expect((await hookd.call('POST', '/api/v1/events', { body: { type: 'order.created', data: { n: 1 } } })).status).toBe(
    202,
  );
  await logRow(page, 'order.created').filter({ hasText: 'succeeded' }).waitFor();
  await checkAndCapture(page, 'webhook');

  // A failing receiver whose answer carries markup: shown as text, never run.
  receiver.program({ then: { status: 400, headers: { 'content-type': 'text/html' }, body: SCRIPT_BODY } });
  await hookd.call('POST', '/api/v1/events', { body: { type: 'order.refunded', data: { n: 2 } } });
  await logRow(page, 'order.refunded').filter({ hasText: 'failed' }).waitFor();
  await logRow(page, 'order.refunded').getByRole('link').click();
  await page.getByTestId('response-body').filter({ hasText: '<script>window.__hookdPwned' }).waitFor();
  expect(await page.locator('pre.body script, pre.body img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __hookdPwned?: boolean }).__hookdPwned)).toBeUndefined();
  await checkAndCapture(page, 'delivery');

  // "Copy as curl" replays the exact signed request, the custom header's value from $AUTHORIZATION: the receiver gets
  // that header and verifies the signature with the secret.
  receiver.program({ then: { status: 200, body: 'ok' } });
  const before = receiver.requests.length;
  await replayCopiedCurl(page);
  const replayed = await receiver.nth(before + 1);
  expect(receiver.requests.length, 'one request: the run without the variable sent none').toBe(before + 1);
  expect(replayed.headers.authorization).toBe(AUTHORIZATION);
  expect(() => verify(replayed.body, replayed.headers as Record<string, string>, secret)).not.toThrow();
  expect(replayed.json.type).toBe('order.refunded');

  // Redeliver from the log: the failure turns into a success.
  await page.goto(`${hookd.origin}/#/webhooks/${webhookId}`);
  await logRow(page, 'order.refunded')
    .getByRole('button', { name: /Redeliver/ })
    .click();
  await logRow(page, 'order.refunded').filter({ hasText: 'succeeded' }).waitFor();

  // "Redeliver all failed since …" sends every failed one again.
  receiver.program({ then: { status: 400, body: 'no' } });
  await hookd.call('POST', '/api/v1/events', { body: { type: 'order.voided', data: { n: 3 } } });
  await logRow(page, 'order.voided').filter({ hasText: 'failed' }).waitFor();
  receiver.program({ then: { status: 200, body: 'ok' } });
  await page.getByRole('button', { name: 'Redeliver all failed since…' }).click();
  await page.getByText('1 failed delivery sent again.').waitFor();
  await logRow(page, 'order.voided').filter({ hasText: 'succeeded' }).waitFor();

  // Rotate: a new secret, shown once.
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  await page.getByTestId('secret').waitFor();
  expect(await page.getByTestId('secret').textContent()).not.toBe(secret);

  // Pause and resume.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.locator('.page-head .badge', { hasText: 'paused' }).waitFor();
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  expect(await page.locator('.page-head .badge').textContent()).not.toBe('paused');

  // A disabled webhook (auto-disabled, or by a 410) is turned back on with Re-enable.
  await hookd.store.updateWebhook(hookd.workspaceId, webhookId, { status: 'disabled', updatedAt: new Date() });
  await page.reload();
  await page.locator('.page-head .badge', { hasText: 'disabled' }).waitFor();
  await page.getByRole('button', { name: 'Re-enable' }).click();
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  expect((await hookd.call('GET', `/api/v1/webhooks/${webhookId}`)).body.status).toBe('healthy');

  // The list shows it with its state and last 24 hours.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('link', { name: receiver.url }).waitFor();
  // Four attempts succeeded and two failed today (the test, three published, two redelivered): the rate and the bars.
  expect(await page.locator('.cell-rate .rate').textContent()).toBe('66.7%');
  const barHeights = (bars: string) =>
    page
      .locator(bars)
      .evaluateAll((rects) => rects.reduce((sum, rect) => sum + Number(rect.getAttribute('height')), 0));
  expect(await barHeights('.cell-chart .chart-ok')).toBeGreaterThan(0);
  expect(await barHeights('.cell-chart .chart-failed')).toBeGreaterThan(0);
  await checkAndCapture(page, 'webhooks');

  // Delete, confirmed.
  await page.getByRole('link', { name: receiver.url }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  await page.getByText('No webhooks yet').waitFor();
  expect((await hookd.call('GET', `/api/v1/webhooks/${webhookId}`)).status).toBe(404);

  // Log out: the session is gone on the server too, so a reload asks for the key again.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('API key').waitFor();
  await page.reload();
  await page.getByLabel('API key').waitFor();

  expect(problems.errors).toEqual([]);
  expect(problems.cspViolations).toEqual([]);
}, 180_000);
