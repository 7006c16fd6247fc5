// `hookd worker --metrics-port`: a worker-only process serves /metrics on a port of its own (and nothing else there),
// behind HOOKD_METRICS_TOKEN like the API's, counting the attempts it makes; the API process beside it counts none.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { Hookd, killAllHookd, runHookd, stderrLines } from './support/hookd-process.js';
import { apiCall, httpCall } from './support/http-call.js';
import { parsePrometheusText, sampleValue } from './support/prometheus-text.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { tempDir } from './support/temp-dir.js';

const KEY = `worker-metrics-key-${randomBytes(8).toString('hex')}`;
const TOKEN = `worker-metrics-token-${randomBytes(8).toString('hex')}`;

const receivers: Receiver[] = [];
afterEach(async () => {
  await killAllHookd();
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

/** `hookd ARGS` on the SQLite file of `dir`, delivering to 127.0.0.1, with the test's key and metrics token. */
function hookd(dir: string, args: string[]): Hookd {
  return new Hookd([...args, '--database', join(dir, 'hookd.db'), '--allow-network', '127.0.0.0/8'], {
    cwd: dir,
    env: { HOOKD_BOOTSTRAP_API_KEY: KEY, HOOKD_METRICS_TOKEN: TOKEN },
  });
}

async function scrape(metricsUrl: string) {
  const answer = await httpCall(`${metricsUrl}/metrics`, { key: TOKEN });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
  return parsePrometheusText(answer.text);
}

describe('hookd worker --metrics-port', { timeout: 60_000 }, () => {
  it('serves the worker its own /metrics, behind the metrics token, counting the attempts it made', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const dir = tempDir('hookd-worker-metrics-');
    const api = hookd(dir, ['serve', '--no-worker', '--port', '0']);
    const apiUrl = await api.listening();
    // The poll, not a wake-up, finds the API process's publishes on SQLite: keep it short.
    const worker = hookd(dir, ['worker', '--metrics-port', '0', '--poll-interval', '100ms']);
    const metricsUrl = (await worker.waitForLog('hookd worker started')).metricsUrl as string;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect((await httpCall(`${metricsUrl}/metrics`)).status).toBe(401);
    expect((await httpCall(`${metricsUrl}/metrics`, { key: 'not-the-token-0123456789' })).status).toBe(401);
    // Only /metrics: the API is not served on that port.
    expect((await httpCall(`${metricsUrl}/api/v1/webhooks`, { key: KEY })).status).toBe(404);

    const created = await apiCall(apiUrl, 'POST', '/webhooks', KEY, { url: receiver.url, events: ['order.*'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (let n = 0; n < 3; n++)
      expect((await apiCall(apiUrl, 'POST', '/events', KEY, { type: 'order.paid', data: { n } })).status).toBe(202);
    await eventually(() => expect(receiver.requests).toHaveLength(3), 30_000);

    const samples = await eventually(async () => {
      const scraped = await scrape(metricsUrl);
      expect(sampleValue(scraped, 'hookd_deliveries_total', { outcome: 'succeeded' })).toBe(3);
      return scraped;
    }, 15_000);
    expect(sampleValue(samples, 'hookd_delivery_attempts_total', { status_class: '2xx' })).toBe(3);
    expect(sampleValue(samples, 'hookd_delivery_attempt_duration_seconds_count')).toBe(3);
    expect(sampleValue(samples, 'hookd_database_up')).toBe(1);
    expect(samples.some((sample) => sample.name.startsWith('process_'))).toBe(true);
    // The API process published them and sent none: its counters say so.
    const apiSamples = parsePrometheusText((await httpCall(`${apiUrl}/metrics`, { key: TOKEN })).text);
    expect(sampleValue(apiSamples, 'hookd_events_published_total')).toBe(3);
    expect(sampleValue(apiSamples, 'hookd_delivery_attempts_total', { status_class: '2xx' })).toBe(0);
    expect(worker.exit).toBeUndefined();
  });

  it('refuses --metrics-port with --metrics off, and a port already in use, each in one line with exit 2', async () => {
    const dir = tempDir('hookd-worker-metrics-');
    const off = await runHookd(
      ['worker', '--database', join(dir, 'hookd.db'), '--metrics', 'off', '--metrics-port', '0'],
      { cwd: dir },
    );
    expect(off.code, off.stderr).toBe(2);
    expect(stderrLines(off.stderr)).toEqual([
      'hookd: --metrics-port: /metrics is off (--metrics off); set one or the other',
    ]);

    const taken = await startReceiver();
    receivers.push(taken);
    const port = new URL(taken.url).port;
    const inUse = await runHookd(['worker', '--database', join(dir, 'other.db'), '--metrics-port', port], { cwd: dir });
    expect(inUse.code, inUse.stderr).toBe(2);
    expect(stderrLines(inUse.stderr)).toEqual([`hookd: --metrics-port: 127.0.0.1:${port} is already in use`]);
  });
});
