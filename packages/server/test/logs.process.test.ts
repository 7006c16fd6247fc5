// What `hookd serve --log-level debug` writes while traffic runs through it: lines with the ids an operator greps for,
// and never a secret, an API key, a custom header value, an event's data or a receiver's answer.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Hookd, jsonLines, killAllHookd } from './support/hookd-process.js';
import { parsePrometheusText, sampleValue } from './support/prometheus-text.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { tempDir } from './support/temp-dir.js';

const API_KEY = `log-test-api-key-${randomBytes(8).toString('hex')}`;
const METRICS_TOKEN = `log-test-metrics-token-${randomBytes(8).toString('hex')}`;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const HEADER_VALUE = `header-value-${randomBytes(8).toString('hex')}`;
const BODY_MARKER = `body-marker-${randomBytes(8).toString('hex')}`;
const RESPONSE_MARKER = `response-body-${randomBytes(8).toString('hex')}`;

const receivers: Receiver[] = [];
afterEach(async () => {
  await killAllHookd();
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function api(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return response.json();
}

describe('hookd serve --log-level debug', () => {
  it('logs publishes, failing attempts and a webhook disabled on 410 with their ids, and no secret or body', async () => {
    const failing = await startReceiver({ then: { status: 500, body: RESPONSE_MARKER } });
    const gone = await startReceiver({ then: { status: 410, body: RESPONSE_MARKER } });
    receivers.push(failing, gone);
    const dir = tempDir('hookd-logs-');
    const hookd = new Hookd(
      [
        'serve',
        '--port',
        '0',
        '--database',
        join(dir, 'h.db'),
        '--log-level',
        'debug',
        '--allow-network',
        '127.0.0.0/8',
      ],
      { cwd: dir, env: { HOOKD_BOOTSTRAP_API_KEY: API_KEY, HOOKD_METRICS_TOKEN: METRICS_TOKEN } },
    );
    const url = (await hookd.waitForLog('hookd listening')).url as string;

    const noRetries = { schedule: [], retryOn4xx: false };
    const webhook = await api(url, 'POST', '/webhooks', {
      url: failing.url,
      events: ['order.*'],
      secret: SECRET,
      headers: { 'X-Receiver-Token': HEADER_VALUE },
      retry: noRetries,
    });
    const goneHook = await api(url, 'POST', '/webhooks', { url: gone.url, events: ['order.*'], retry: noRetries });
    const event = await api(url, 'POST', '/events', { type: 'order.created', data: { note: BODY_MARKER } });

    const failed = await hookd.waitFor('the failed delivery logged', () =>
      jsonLines(hookd.stdout).find(
        (line) => line.msg === 'delivery failed: no retries left' && line.webhookId === webhook.id,
      ),
    );
    expect(failed).toMatchObject({
      level: 40,
      eventId: event.id,
      responseStatus: 500,
      workspaceId: expect.stringMatching(/^ws_/),
    });
    expect(failed.deliveryId).toMatch(/^dlv_/);
    const disabled = await hookd.waitForLog('webhook disabled: the receiver answered 410 Gone');
    expect(disabled).toMatchObject({ webhookId: goneHook.id, workspaceId: failed.workspaceId, eventId: event.id });
    expect(await hookd.waitForLog('event published')).toMatchObject({ level: 20, eventId: event.id, deliveries: 2 });
    expect(failing.requests[0]!.headers['x-receiver-token']).toBe(HEADER_VALUE);

    // /metrics as Prometheus scrapes it with the token, over HTTP.
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const samples = parsePrometheusText(await scraped.text());
    expect(sampleValue(samples, 'hookd_delivery_attempts_total', { status_class: '5xx' })).toBe(1);
    expect(sampleValue(samples, 'hookd_delivery_attempts_total', { status_class: '4xx' })).toBe(1);
    expect(sampleValue(samples, 'hookd_webhooks', { state: 'disabled' })).toBe(1);

    hookd.signal('SIGTERM');
    expect(await hookd.waitForExit()).toEqual({ code: 0, signal: null });
    const everything = hookd.stdout + hookd.stderr;
    expect(jsonLines(hookd.stdout).length).toBeGreaterThan(10);
    for (const [what, value] of Object.entries({
      API_KEY,
      METRICS_TOKEN,
      SECRET,
      secretKey: SECRET.slice('whsec_'.length),
      HEADER_VALUE,
      BODY_MARKER,
      RESPONSE_MARKER,
    }))
      expect(everything.includes(value), `${what} appears in the output`).toBe(false);
  });
});
