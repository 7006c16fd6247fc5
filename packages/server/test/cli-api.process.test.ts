// `hookd publish`, `hookd webhooks …` and `hookd deliveries …` as a user runs them: real processes against a real
// `hookd serve` (SQLite in a temp dir) delivering to real receivers on 127.0.0.1.
import { join } from 'node:path';
import { verify } from '@hookd/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { Hookd, killAllHookd, runHookd, serve, stderrLines, type Ran } from './support/hookd-process.js';
import { closedPort, startReceiver, type Receiver } from './support/receiver.js';
import { tempDir } from './support/temp-dir.js';

const API_KEY = 'cli-api-test-key-0123456789abcdef';
let serverUrl: string;
let receiver: Receiver;

beforeAll(async () => {
  const cwd = tempDir('hookd-cli-api-');
  const args = ['--database', join(cwd, 'h.db'), '--bootstrap-key', API_KEY, '--allow-network', '127.0.0.0/8'];
  serverUrl = (await serve(args, { cwd })).url;
  receiver = await startReceiver();
});

afterAll(async () => {
  await killAllHookd();
  await receiver.close();
});

/** Runs `hookd ARGS` to its end, pointed at the test server through the environment, as a user's shell would. */
function hookd(
  args: string[],
  env: Record<string, string> = { HOOKD_URL: serverUrl, HOOKD_API_KEY: API_KEY },
): Promise<Ran> {
  return runHookd(args, { cwd: tempDir('hookd-cli-api-'), env });
}

/** Runs and expects exit 0; answers stdout parsed as JSON. */
async function hookdJson(args: string[]): Promise<any> {
  const run = await hookd([...args, '--json']);
  expect(run.code, `hookd ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout);
}

function oneLine(stderr: string): string {
  const lines = stderrLines(stderr);
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

describe('hookd webhooks, publish and deliveries against hookd serve', { timeout: 120_000 }, () => {
  it('create, publish, the delivery arrives signed, the log shows it, retry redelivers it, delete removes the webhook', async () => {
    const created = await hookd([
      'webhooks',
      'create',
      receiver.url,
      '--events',
      'order.*',
      '--description',
      'shop',
      '--header',
      'X-Tenant: t1',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const id = /^created (wh_\S+) {2}(\S+)/m.exec(created.stdout)?.[1];
    expect(id, created.stdout).toBeDefined();
    expect(created.stdout).toContain(receiver.url);
    const secret = /^ {2}(whsec_\S+)$/m.exec(created.stdout)?.[1];
    expect(secret, created.stdout).toBeDefined();

    const published = await hookd(['publish', 'order.paid', '--data', '{"amount": 1200}']);
    expect(published.code, published.stderr).toBe(0);
    const eventId = /^published order\.paid (\S+) to 1 webhook$/m.exec(published.stdout)?.[1];
    expect(eventId, published.stdout).toBeDefined();

    const first = await receiver.nth(1);
    expect(first.headers['x-tenant']).toBe('t1');
    expect(verify(first.body, first.headers, secret!)).toMatchObject({
      id: eventId,
      type: 'order.paid',
      webhookId: id,
      data: { amount: 1200 },
    });

    const [delivery] = await eventually(async () => {
      const log = await hookdJson(['deliveries', 'list', '--webhook', id!]);
      expect(log.data).toHaveLength(1);
      expect(log.data[0]).toMatchObject({
        webhookId: id,
        eventId,
        event: 'order.paid',
        status: 'success',
        responseStatus: 200,
        attempts: 1,
      });
      return log.data;
    }, 60_000);
    const table = await hookd(['deliveries', 'list', '--webhook', id!, '--status', 'success']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+EVENT\s+ATTEMPTS/);
    expect(table.stdout).toMatch(new RegExp(`^${delivery.id}\\s+success\\s+order\\.paid\\s+1\\s+\\S+\\s+200$`, 'm'));
    expect((await hookdJson(['deliveries', 'list', '--webhook', id!, '--status', 'failed'])).data).toEqual([]);

    const retried = await hookd(['deliveries', 'retry', delivery.id]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`retrying ${delivery.id}`);
    expect((await receiver.nth(2)).json).toMatchObject({ id: eventId, type: 'order.paid' });

    const listed = await hookd(['webhooks', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+healthy\\s+order\\.\\*\\s+${receiver.url}$`, 'm'));
    const deleted = await hookd(['webhooks', 'delete', id!]);
    expect(deleted, deleted.stderr).toMatchObject({ code: 0, stdout: `deleted ${id}\n` });
    expect((await hookdJson(['webhooks', 'list'])).data.map((webhook: { id: string }) => webhook.id)).not.toContain(id);
  });

  it('--json prints the API answer; --url and --api-key work as flags too', async () => {
    const flags = ['--url', serverUrl, '--api-key', API_KEY, '--json'];
    const created = await hookd(
      ['webhooks', 'create', 'https://example.com/json', '--scheme', 'body', '--retry-schedule', '1s,5s', ...flags],
      {},
    );
    expect(created.code, created.stderr).toBe(0);
    const webhook = JSON.parse(created.stdout);
    expect(webhook).toMatchObject({
      url: 'https://example.com/json',
      signature: { scheme: 'body' },
      retry: { schedule: ['1s', '5s'] },
    });
    expect(webhook.secret).toEqual(expect.any(String));
    const published = await hookd(['publish', 'nothing.listens', '--id', 'evt-cli-1', ...flags], {});
    expect(JSON.parse(published.stdout)).toEqual({ id: 'evt-cli-1', type: 'nothing.listens', deliveries: 1 });
  });
});

describe.concurrent('errors of the API commands', { timeout: 120_000 }, () => {
  it("a wrong API key exits 1 with the API's code and message, and the key appears nowhere", async () => {
    const run = await hookd(['webhooks', 'list'], { HOOKD_URL: serverUrl, HOOKD_API_KEY: 'hk_wrong_key_0123456789' });
    expect(run.code).toBe(1);
    const line = oneLine(run.stderr);
    expect(line).toContain('401 HOOKD_ERR_UNAUTHORIZED: invalid API key');
    expect(`${run.stdout}${run.stderr}`).not.toContain('hk_wrong_key');
  });

  it('an unknown id exits 1 with the 404 and the request', async () => {
    const run = await hookd(['deliveries', 'retry', 'dlv_nope']);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toMatch(
      /404 HOOKD_ERR_\w*NOT_FOUND: .*dlv_nope.*\(POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/webhooks\/deliveries\/dlv_nope\/retry\)/,
    );
  });

  it('an unreachable server exits 1 naming the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await hookd(['publish', 'order.paid', '--url', url], { HOOKD_API_KEY: API_KEY });
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toBe(`hookd: cannot reach hookd at ${url} (ECONNREFUSED)`);
  });

  it.each([
    ['bad --data JSON', ['publish', 'order.paid', '--data', '{"amount": '], '--data: not valid JSON'],
    ['no type to publish', ['publish'], 'usage: hookd publish TYPE'],
    ['deliveries list without --webhook', ['deliveries', 'list'], '--webhook: required'],
    [
      'an unknown --status',
      ['deliveries', 'list', '--webhook', 'wh_x', '--status', 'done'],
      '--status: must be one of pending, success, failed',
    ],
    ['an unknown subcommand', ['webhooks', 'show'], 'unknown command "webhooks show"'],
    ['a malformed --url', ['webhooks', 'list', '--url', 'localhost:8080'], '--url: must be an http(s) URL'],
    [
      'webhooks create with its endpoint as --url',
      ['webhooks', 'create', '--url', 'https://example.com/h'],
      'the webhook\'s URL is the argument after "create"',
    ],
    [
      'a bad --header',
      ['webhooks', 'create', 'https://example.com/h', '--header', 'no colon'],
      '--header: must be "Name: value"',
    ],
  ])('%s exits 2 with one line saying so', async (_label, args, message) => {
    const run = await hookd(args);
    expect(run.code, run.stderr).toBe(2);
    expect(oneLine(run.stderr)).toContain(message);
  });

  it('no API key at all exits 2 saying where to give one', async () => {
    const run = await hookd(['webhooks', 'list'], { HOOKD_URL: serverUrl });
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toContain('no API key: pass --api-key or set HOOKD_API_KEY');
  });

  it('--help of each command lists its subcommands and the shared flags', async () => {
    for (const [command, expected] of [
      ['publish', '--idempotency-key'],
      ['webhooks', 'webhooks create URL'],
      ['deliveries', 'deliveries retry ID'],
    ] as const) {
      const run = await hookd([command, '--help'], {});
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(expected);
      expect(run.stdout).toContain('HOOKD_API_KEY');
    }
    const main = await hookd(['--help'], {});
    for (const line of [
      'publish TYPE',
      'webhooks list',
      'webhooks create URL',
      'webhooks delete ID',
      'deliveries list',
      'deliveries retry ID',
      'stats',
    ])
      expect(main.stdout).toContain(line);
  });
});

describe('the local loop: hookd serve + hookd listen + hookd publish', { timeout: 120_000 }, () => {
  it('listen prints the published event as verified', async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const listen = new Hookd(['listen', '--port', '0', '--secret', secret], { cwd: tempDir('hookd-cli-api-') });
    const listenUrl = await listen.receiving();
    const created = await hookd(['webhooks', 'create', listenUrl, '--secret', secret, '--events', 'loop.*']);
    expect(created.code, created.stderr).toBe(0);
    const published = await hookdJson(['publish', 'loop.tested', '--data', '{"n": 1}']);
    const printed = await listen.waitFor(
      'the delivery',
      () => new RegExp(`^\\S+Z {2}loop\\.tested {2}${published.id} {2}ok {2}→ 200$`, 'm').exec(listen.stdout)?.[0],
    );
    expect(printed).toContain(published.id);
    expect(listen.stdout).toContain('"n": 1');
  });
});

describe('hookd stats', { timeout: 120_000 }, () => {
  it("prints each webhook's attempts this hour and over 24 hours, and their success rates", async () => {
    const webhook = await hookdJson(['webhooks', 'create', receiver.url, '--events', 'stats.*']);
    receiver.program({ replies: [{ status: 200 }, { status: 200 }, { status: 200 }, { status: 400 }] });
    for (let i = 0; i < 4; i++) await hookdJson(['publish', 'stats.counted']);
    // The fourth got a 400 and waits for its retry; the three before it succeeded.
    await eventually(async () => {
      const stats = await hookdJson(['stats', '--webhook', webhook.id]);
      expect(stats.data[0].lastHour).toEqual({ succeeded: 3, failed: 1, successRate: 0.75 });
    }, 60_000);
    const run = await hookd(['stats', '--webhook', webhook.id]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^WEBHOOK +HOUR OK +HOUR FAILED +HOUR RATE +24H OK +24H FAILED +24H RATE$/m);
    expect(run.stdout).toMatch(new RegExp(`^${webhook.id} +3 +1 +75\\.0% +3 +1 +75\\.0%$`, 'm'));
    const unknown = await hookd(['stats', '--webhook', 'wh_01JZ0000000000000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('HOOKD_ERR_WEBHOOK_NOT_FOUND');
  });
});
