// `hookd deliveries get|attempts|retry|redeliver-failed`, `hookd events list|get` and `hookd event-types
// list|create|delete` as a user runs them: real processes against a real `hookd serve` and a real receiver.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLine, startCliServer, type CliServer } from './support/cli-server.js';
import { eventually } from './support/eventually.js';
import { startReceiver, type Receiver } from './support/receiver.js';

let hookd: CliServer;
let receiver: Receiver;

beforeAll(async () => {
  hookd = await startCliServer();
  receiver = await startReceiver({ then: { status: 500, body: 'broken' } });
});
afterAll(async () => {
  await hookd.close();
  await receiver.close();
});

describe('hookd deliveries get, attempts, redeliver-failed and retry', { timeout: 60_000 }, () => {
  it('shows a failed delivery and its attempt, redelivers the failed ones, then retries one', async () => {
    // No retries: the first 500 fails the delivery for good.
    const webhook = await hookd.runJson([
      'webhooks',
      'create',
      receiver.url,
      '--events',
      'invoice.*',
      '--data',
      '{"retry": {"schedule": []}}',
    ]);
    expect(webhook.retry.schedule).toEqual([]);
    const event = await hookd.runJson(['publish', 'invoice.sent', '--data', '{"n": 1}']);
    await receiver.nth(1);
    const failed = await eventually(async () => {
      const [delivery] = (await hookd.runJson(['deliveries', 'list', '--webhook', webhook.id])).data;
      expect(delivery).toMatchObject({ status: 'failed', responseStatus: 500 });
      return delivery;
    }, 10_000);

    const shown = await hookd.run(['deliveries', 'get', failed.id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^id +${failed.id}$`, 'm'));
    expect(shown.stdout).toMatch(/^status +failed$/m);
    expect(shown.stdout).toMatch(new RegExp(`^event +invoice\\.sent ${event.id}$`, 'm'));
    expect(shown.stdout).toMatch(/^last response +500$/m);
    expect(await hookd.runJson(['deliveries', 'get', failed.id])).toMatchObject({ id: failed.id, attempts: 1 });

    const attempts = await hookd.run(['deliveries', 'attempts', failed.id]);
    expect(attempts.code, attempts.stderr).toBe(0);
    expect(attempts.stdout).toMatch(/^#\s+ATTEMPTED\s+STATUS\s+DURATION/);
    expect(attempts.stdout).toMatch(/^1\s+\S+Z\s+500\s+\d+ ms\s+the receiver answered 500/m);
    const [attempt] = (await hookd.runJson(['deliveries', 'attempts', failed.id])).data;
    expect(attempt).toMatchObject({ responseStatus: 500, responseBody: 'broken' });
    expect(attempt.requestHeaders['webhook-id']).toEqual(expect.any(String));

    receiver.program({ then: { status: 200 } });
    const redelivered = await hookd.run(['deliveries', 'redeliver-failed', '--webhook', webhook.id]);
    expect(redelivered, redelivered.stderr).toMatchObject({
      code: 0,
      stdout: `redelivering 1 failed delivery of ${webhook.id}\n`,
    });
    expect((await receiver.nth(2)).json).toMatchObject({ id: event.id, data: { n: 1 } });
    await eventually(async () =>
      expect(await hookd.runJson(['deliveries', 'get', failed.id])).toMatchObject({ status: 'success', attempts: 2 }),
    );
    const nothingLeft = await hookd.runJson([
      'deliveries',
      'redeliver-failed',
      '--webhook',
      webhook.id,
      '--since',
      '2020-01-01T00:00:00Z',
    ]);
    expect(nothingLeft).toEqual({ redelivered: 0 });

    const retried = await hookd.run(['deliveries', 'retry', failed.id]);
    expect(retried.code, retried.stderr).toBe(0);
    expect((await receiver.nth(3)).json).toMatchObject({ id: event.id });
    const all = await eventually(async () => {
      const list = (await hookd.runJson(['deliveries', 'attempts', failed.id])).data;
      expect(list).toHaveLength(3);
      return list;
    });
    expect(all.map((one: { responseStatus: number }) => one.responseStatus)).toEqual([500, 200, 200]);
  });

  it('refuses a bad --since and a missing --webhook with exit 2, and an unknown delivery with the 404', async () => {
    const since = await hookd.run(['deliveries', 'redeliver-failed', '--webhook', 'wh_x', '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(oneLine(since.stderr)).toContain('--since: must be a date and time');
    const noWebhook = await hookd.run(['deliveries', 'redeliver-failed']);
    expect(noWebhook.code).toBe(2);
    expect(oneLine(noWebhook.stderr)).toContain('--webhook: required');
    for (const action of ['get', 'attempts']) {
      const missing = await hookd.run(['deliveries', action, 'dlv_nope']);
      expect(missing.code, missing.stderr).toBe(1);
      expect(oneLine(missing.stderr)).toMatch(/404 HOOKD_ERR_\w*NOT_FOUND/);
    }
  });
});

describe('hookd events list and get', { timeout: 60_000 }, () => {
  it('lists what was published, newest first, a page at a time, and shows one event with its data', async () => {
    const first = await hookd.runJson(['publish', 'audit.one', '--data', '-'], { stdin: '{"who": "ana", "n": 1}' });
    const second = await hookd.runJson(['publish', 'audit.two', '--data', '{"n": 2}']);

    const listed = await hookd.run(['events', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+TYPE\s+PUBLISHED\s+DELIVERIES$/m);
    const rows = listed.stdout.split('\n');
    const at = (id: string) => rows.findIndex((row) => row.startsWith(id));
    expect(at(second.id)).toBeGreaterThan(0);
    expect(at(first.id)).toBeGreaterThan(at(second.id));
    expect(rows[at(first.id)]).toMatch(/\saudit\.one\s+\S+Z\s+0$/);

    const page = await hookd.runJson(['events', 'list', '--limit', '1']);
    expect(page.data.map((event: { id: string }) => event.id)).toEqual([second.id]);
    const next = await hookd.runJson(['events', 'list', '--limit', '1', '--cursor', page.nextCursor]);
    expect(next.data.map((event: { id: string }) => event.id)).toEqual([first.id]);
    expect((await hookd.run(['events', 'list', '--limit', '1'])).stdout).toContain(`more: --cursor ${page.nextCursor}`);

    const shown = await hookd.run(['events', 'get', first.id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^type +audit\.one$/m);
    expect(shown.stdout).toContain('data:\n{\n  "who": "ana",\n  "n": 1\n}\n');
    expect(await hookd.runJson(['events', 'get', first.id])).toMatchObject({
      id: first.id,
      data: { who: 'ana', n: 1 },
    });
    const missing = await hookd.run(['events', 'get', 'evt-nope']);
    expect(missing.code).toBe(1);
    expect(oneLine(missing.stderr)).toMatch(/404 HOOKD_ERR_\w*NOT_FOUND/);
  });
});

describe('hookd event-types list, create and delete', { timeout: 60_000 }, () => {
  it('creates a type with a schema from a file that publishes are checked against, lists it, deletes it', async () => {
    const dir = hookd.tempDir();
    const schema = { type: 'object', required: ['amount'], properties: { amount: { type: 'integer' } } };
    writeFileSync(join(dir, 'schema.json'), JSON.stringify(schema));
    const created = await hookd.run(
      ['event-types', 'create', 'payment.made', '--description', 'a payment', '--schema', '@schema.json'],
      { cwd: dir },
    );
    expect(created, created.stderr).toMatchObject({
      code: 0,
      stdout: 'created event type payment.made (with a schema)\n',
    });
    const plain = await hookd.runJson(['event-types', 'create', 'payment.noted', '--data', '-'], {
      stdin: '{"description": "from stdin"}',
    });
    expect(plain).toMatchObject({ name: 'payment.noted', description: 'from stdin', schema: null });

    const listed = await hookd.run(['event-types', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+SCHEMA\s+DESCRIPTION$/m);
    expect(listed.stdout).toMatch(/^payment\.made\s+yes\s+a payment$/m);
    expect(listed.stdout).toMatch(/^payment\.noted\s+no\s+from stdin$/m);

    const refused = await hookd.run(['publish', 'payment.made', '--data', '{"amount": "ten"}']);
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toMatch(/422 HOOKD_ERR_\w+: .*amount/);
    expect((await hookd.run(['publish', 'payment.made', '--data', '{"amount": 10}'])).code).toBe(0);

    const duplicate = await hookd.run(['event-types', 'create', 'payment.made']);
    expect(duplicate.code).toBe(1);
    expect(oneLine(duplicate.stderr)).toContain('409');

    const deleted = await hookd.run(['event-types', 'delete', 'payment.made']);
    expect(deleted, deleted.stderr).toMatchObject({ code: 0, stdout: 'deleted event type payment.made\n' });
    const names = (await hookd.runJson(['event-types', 'list'])).data.map((type: { name: string }) => type.name);
    expect(names).toEqual(['payment.noted']);
    expect((await hookd.run(['publish', 'payment.made', '--data', '{"amount": "ten"}'])).code).toBe(0);
  });
});
