// `hookd webhooks get|update|pause|resume|rotate-secret|test` as a user runs them: real processes against a real
// `hookd serve`, delivering to real receivers on 127.0.0.1; JSON given inline, from a file and from stdin.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verify } from '@hookd/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliServer, type CliServer } from './support/cli-server.js';
import { closedPort, startReceiver, type Receiver } from './support/receiver.js';

let hookd: CliServer;
const receivers: Receiver[] = [];

beforeAll(async () => {
  hookd = await startCliServer();
});
afterAll(async () => {
  await hookd.close();
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiver(): Promise<Receiver> {
  const started = await startReceiver();
  receivers.push(started);
  return started;
}

/** Creates a webhook with the CLI and answers its id and secret. */
async function createWebhook(url: string, ...flags: string[]): Promise<{ id: string; secret: string }> {
  const created = await hookd.runJson(['webhooks', 'create', url, ...flags]);
  return { id: created.id, secret: created.secret };
}

describe('hookd webhooks get and update', { timeout: 60_000 }, () => {
  it('create takes --data from a file, get shows the settings, update takes --data from stdin and flags over it', async () => {
    const r = await receiver();
    const dir = hookd.tempDir();
    writeFileSync(join(dir, 'webhook.json'), JSON.stringify({ events: ['order.*'], description: 'from a file' }));
    const created = await hookd.run(['webhooks', 'create', r.url, '--data', '@webhook.json', '--timeout', '10s'], {
      cwd: dir,
    });
    expect(created.code, created.stderr).toBe(0);
    const id = /^created (wh_\S+)/m.exec(created.stdout)![1]!;

    const shown = await hookd.run(['webhooks', 'get', id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^id +${id}$`, 'm'));
    expect(shown.stdout).toMatch(/^events +order\.\*$/m);
    expect(shown.stdout).toMatch(/^description +from a file$/m);
    expect(shown.stdout).toMatch(/^timeout +10s$/m);
    expect(shown.stdout).toMatch(/^status +healthy$/m);

    const stdin = JSON.stringify({ description: 'from stdin', rateLimit: 5, events: ['ignored.*'] });
    const updated = await hookd.run(
      ['webhooks', 'update', id, '--data', '-', '--events', 'order.paid,refund.*', '--header', 'X-Tenant: t9'],
      { stdin },
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(new RegExp(`^updated ${id}$`, 'm'));
    const read = await hookd.runJson(['webhooks', 'get', id]);
    expect(read).toMatchObject({
      id,
      url: r.url,
      description: 'from stdin',
      rateLimit: 5,
      events: ['order.paid', 'refund.*'],
      timeout: '10s',
      headers: { 'X-Tenant': '[redacted]' },
    });
    // --endpoint moves the deliveries; the header set above goes with them.
    const other = await receiver();
    expect((await hookd.run(['webhooks', 'update', id, '--endpoint', other.url])).code).toBe(0);
    await hookd.runJson(['publish', 'order.paid']);
    expect((await other.nth(1)).headers['x-tenant']).toBe('t9');
    expect(r.requests).toHaveLength(0);
  });
});

describe('hookd webhooks --auto-disable-after', { timeout: 60_000 }, () => {
  it('create and update set it, "workspace" hands it back to the workspace, a bad value is the 400 naming it', async () => {
    const r = await receiver();
    const { id } = await createWebhook(r.url, '--events', 'nothing.*', '--auto-disable-after', '5d');
    expect((await hookd.run(['webhooks', 'get', id])).stdout).toMatch(/^auto-disable +after 5d failing$/m);
    expect((await hookd.run(['webhooks', 'update', id, '--auto-disable-after', '12h'])).code).toBe(0);
    expect((await hookd.runJson(['webhooks', 'get', id])).autoDisableAfter).toBe('12h');
    expect((await hookd.run(['webhooks', 'update', id, '--auto-disable-after', 'workspace'])).code).toBe(0);
    expect((await hookd.runJson(['webhooks', 'get', id])).autoDisableAfter).toBeNull();
    const bad = await hookd.run(['webhooks', 'update', id, '--auto-disable-after', '10s']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^hookd: 400 HOOKD_ERR_VALIDATION: .*autoDisableAfter/);
  });
});

describe('hookd webhooks pause and resume', { timeout: 60_000 }, () => {
  it('an event published while paused is kept, not sent, and delivered on resume', async () => {
    const paused = await receiver();
    const active = await receiver();
    const { id } = await createWebhook(paused.url, '--events', 'stock.*');
    await createWebhook(active.url, '--events', 'stock.*');

    const pause = await hookd.run(['webhooks', 'pause', id]);
    expect(pause, pause.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining(`paused ${id}`) });
    expect((await hookd.run(['webhooks', 'list'])).stdout).toMatch(new RegExp(`^${id}\\s+paused\\s`, 'm'));
    const event = await hookd.runJson(['publish', 'stock.low', '--data', '{"sku": "a1"}']);
    expect(event.deliveries).toBe(2);
    // The active webhook got it, so the worker has been through this event; the paused one's delivery waits.
    expect((await active.nth(1)).json).toMatchObject({ id: event.id });
    const [waiting] = (await hookd.runJson(['deliveries', 'list', '--webhook', id])).data;
    expect(waiting).toMatchObject({ eventId: event.id, status: 'pending', attempts: 0 });
    expect(paused.requests).toHaveLength(0);

    const resume = await hookd.run(['webhooks', 'resume', id]);
    expect(resume, resume.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining(`resumed ${id}`) });
    expect((await paused.nth(1)).json).toMatchObject({ id: event.id, data: { sku: 'a1' } });
    expect((await hookd.runJson(['webhooks', 'get', id])).active).toBe(true);
  });
});

describe('hookd webhooks rotate-secret and test', { timeout: 60_000 }, () => {
  it('rotate-secret prints the new secret once; test sends webhook.test signed with it and prints the answer', async () => {
    const r = await receiver();
    const { id, secret: oldSecret } = await createWebhook(r.url, '--events', 'nothing.*');

    const rotated = await hookd.run(['webhooks', 'rotate-secret', id]);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('the old one keeps signing beside it for 24 hours');
    const newSecret = /^ {2}(whsec_\S+)$/m.exec(rotated.stdout)?.[1];
    expect(newSecret, rotated.stdout).toBeDefined();
    expect(newSecret).not.toBe(oldSecret);
    expect((await hookd.run(['webhooks', 'get', id])).stdout).not.toContain(newSecret);

    const tested = await hookd.run(['webhooks', 'test', id]);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(
      new RegExp(`^sent webhook\\.test to ${id}: delivery dlv_\\S+ success, 200 in \\d+ ms$`, 'm'),
    );
    const received = await r.nth(1);
    expect(verify(received.body, received.headers, newSecret!)).toMatchObject({ type: 'webhook.test', webhookId: id });
    expect(verify(received.body, received.headers, oldSecret)).toMatchObject({ type: 'webhook.test' });

    const chosen = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
    const json = await hookd.runJson(['webhooks', 'rotate-secret', id, '--secret', chosen]);
    expect(json).toMatchObject({ id, secret: chosen });
  });

  it('test of a failing endpoint prints its status; an unknown webhook exits 1 with the 404', async () => {
    const r = await startReceiver({ then: { status: 503, body: 'down' } });
    receivers.push(r);
    const { id } = await createWebhook(r.url, '--events', 'nothing.*');
    // Exit 1, as `stripe trigger` does when the endpoint fails: the answer on stdout, why on one line of stderr.
    const json = await hookd.run(['webhooks', 'test', id, '--json']);
    expect(json.code, json.stderr).toBe(1);
    expect(JSON.parse(json.stdout).attempt).toMatchObject({ responseStatus: 503, responseBody: 'down' });
    expect(json.stderr).toMatch(/^hookd: test delivery dlv_\S+ to wh_\S+ failed: the endpoint answered 503\n$/);
    const line = await hookd.run(['webhooks', 'test', id]);
    expect(line.code, line.stderr).toBe(1);
    expect(line.stdout).toMatch(/: delivery dlv_\S+ \w+, 503 in \d+ ms$/m);
    expect(line.stderr).toContain(`to ${id} failed: the endpoint answered 503`);

    for (const action of ['get', 'pause', 'resume', 'rotate-secret', 'test']) {
      const missing = await hookd.run(['webhooks', action, 'wh_nope']);
      expect(missing.code, `${action}: ${missing.stderr}`).toBe(1);
      expect(missing.stderr).toMatch(/^hookd: 404 HOOKD_ERR_\w*NOT_FOUND: .*wh_nope/);
    }
  });

  it('test of an endpoint nobody listens on exits 1 naming the error', async () => {
    const { id } = await createWebhook(`http://127.0.0.1:${await closedPort()}/`, '--events', 'nothing.*');
    const tested = await hookd.run(['webhooks', 'test', id]);
    expect(tested.code, tested.stderr).toBe(1);
    expect(tested.stdout).toMatch(
      new RegExp(`^sent webhook\\.test to ${id}: delivery dlv_\\S+ \\w+, .+ in \\d+ ms$`, 'm'),
    );
    expect(tested.stderr).toMatch(/^hookd: test delivery dlv_\S+ to wh_\S+ failed: .*(refused|ECONNREFUSED)/i);
    expect(tested.stderr).not.toContain('answered');
  });
});
