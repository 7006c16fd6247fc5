// The README's @hookd/client example, line for line, against a real hookd: the lines below are checked to be the README's.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHookdClient, dataOf, HookdApiError, paginate } from '@hookd/client';
import { startLiveServer, type LiveServer } from './support/live-server.js';

const README = new URL('../../../README.md', import.meta.url);
let server: LiveServer;
const saved = { url: process.env.HOOKD_URL, key: process.env.HOOKD_API_KEY };

beforeEach(async () => {
  server = await startLiveServer();
  process.env.HOOKD_URL = server.url;
  process.env.HOOKD_API_KEY = server.adminKey;
});
afterEach(async () => {
  await server.close();
  for (const [name, value] of [
    ['HOOKD_URL', saved.url],
    ['HOOKD_API_KEY', saved.key],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The README's lines; what they print goes to `printed` instead of the terminal. */
// The lines stay as the README shows them (wider than 120 columns), so that the test below finds them.
// prettier-ignore
async function readmeExample(printed: unknown[][]): Promise<void> {
  const console = { log: (...args: unknown[]) => printed.push(args) };
  const hookd = createHookdClient({ url: process.env.HOOKD_URL ?? 'http://127.0.0.1:8080', apiKey: process.env.HOOKD_API_KEY! });
  const webhook = await dataOf(hookd.POST('/api/v1/webhooks', { body: { url: 'https://example.com/hooks', events: ['order.*'] } }));
  await dataOf(hookd.POST('/api/v1/events', { body: { type: 'order.paid', data: { amount: 1200 } } }));
  for await (const delivery of paginate((cursor) => dataOf(hookd.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: webhook.id }, query: { cursor } } })))) {
    console.log(delivery.id, delivery.status);
  }
  try {
    await dataOf(hookd.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: 'wh_unknown' } } }));
  } catch (error) {
    if (error instanceof HookdApiError) console.log(error.status, error.code, error.message); // 404 HOOKD_ERR_WEBHOOK_NOT_FOUND …
  }
}

describe('README: Calling the API', () => {
  it('shows lines that are all in this test', () => {
    const section = readFileSync(README, 'utf8').split('## Calling the API')[1] ?? '';
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example, 'a ts block under "## Calling the API"').toBeDefined();
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    const lines = example!
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(source, line).toContain(line);
  });

  it('runs: creates, publishes, lists the delivery and reports the 404', async () => {
    const printed: unknown[][] = [];
    await readmeExample(printed);
    expect(printed).toEqual([
      [expect.stringMatching(/^dlv_/), expect.stringMatching(/^(pending|success|failed)$/)],
      [404, 'HOOKD_ERR_WEBHOOK_NOT_FOUND', expect.stringContaining('wh_unknown')],
    ]);
  });
});
