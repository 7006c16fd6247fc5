// `hookd listen` as a user runs it: a real process on an ephemeral port, deliveries signed with sign() and sent by a real hookd.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sign, type SignatureScheme } from '@hookd/verify';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { Hookd, killAllHookd, stderrLines } from './support/hookd-process.js';
import { httpCall } from './support/http-call.js';
import { tempDir } from './support/temp-dir.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SECRET = 'whsec_' + Buffer.alloc(32, 5).toString('base64');
// Spaced and out of key order, as a sender may write it: verification must be over these bytes.
const BODY = '{ "id": "evt_listen_1", "type": "conversation.created",  "data": {"z": 1, "a": "ü"} }';
const SUMMARY = /^(\S+Z) {2}(\S+) {2}(\S+) {2}(.+) {2}→ (\d{3})$/gm;

let app: TestApp | undefined;
afterEach(async () => {
  await killAllHookd();
  await app?.close();
  app = undefined;
});

/** Starts `hookd listen --port 0 …` and returns it with the URL it announced. */
async function listen(args: string[]): Promise<{ child: Hookd; url: string; cwd: string }> {
  const cwd = tempDir('hookd-listen-');
  const child = new Hookd(['listen', '--port', '0', ...args], { cwd });
  return { child, url: await child.receiving(), cwd };
}

interface Summary {
  time: string;
  type: string;
  id: string;
  verdict: string;
  status: number;
}

function summaries(stdout: string): Summary[] {
  return [...stdout.matchAll(SUMMARY)].map(([, time, type, id, verdict, status]) => ({
    time: time!,
    type: type!,
    id: id!,
    verdict: verdict!,
    status: Number(status),
  }));
}

/** Waits until `count` deliveries have been printed. */
function printed(child: Hookd, count: number): Promise<Summary[]> {
  return child.waitFor(`${count} printed deliveries`, () => {
    const found = summaries(child.stdout);
    return found.length >= count && child.stdout.endsWith('\n\n') ? found : undefined;
  });
}

/** POSTs `payload` byte for byte, as a sender would. */
const post = (url: string, payload: string, headers: Record<string, string>) => httpCall(url, { payload, headers });

const signed = (body = BODY) =>
  sign({ scheme: 'standard', secrets: [SECRET], body, id: 'evt_listen_1', timestamp: Math.floor(Date.now() / 1000) });

describe('hookd listen', { timeout: 30_000 }, () => {
  it('answers 200 to a signed delivery and 401 naming the reason to a tampered one, printing each with its body', async () => {
    const { child, url, cwd } = await listen(['--secret', SECRET]);
    expect(child.stdout).toContain('verifying standard signatures');
    const headers = signed();
    const accepted = await post(url, BODY, headers);
    expect([accepted.status, accepted.text]).toEqual([200, '']);
    const tampered = await post(url, BODY.replace('"z": 1', '"z": 2'), headers);
    expect(tampered.status).toBe(401);
    expect(tampered.body).toMatchObject({ error: { code: 'bad_signature' } });

    const [good, bad] = await printed(child, 2);
    expect(good).toMatchObject({ type: 'conversation.created', id: 'evt_listen_1', verdict: 'ok', status: 200 });
    expect(Math.abs(Date.parse(good!.time) - Date.now())).toBeLessThan(60_000);
    expect(bad).toMatchObject({ type: 'conversation.created', id: 'evt_listen_1', status: 401 });
    expect(bad!.verdict).toMatch(/^bad_signature: /);
    // The body, pretty-printed.
    expect(child.stdout).toContain(JSON.stringify(JSON.parse(BODY), null, 2));
    // Asking the same request again is a replay.
    expect((await post(url, BODY, headers)).status).toBe(401);
    expect((await printed(child, 3))[2]!.verdict).toMatch(/^replayed: /);
    // No database was opened.
    expect(existsSync(join(cwd, 'data'))).toBe(false);
    expect(await child.stop()).toEqual({ code: 0, signal: null });
  });

  it('--status answers that status to every delivery, verified or not', async () => {
    const { child, url } = await listen(['--secret', SECRET, '--status', '503']);
    expect((await post(url, BODY, signed())).status).toBe(503);
    expect((await post(url, BODY, {})).status).toBe(503);
    const [good, unsigned] = await printed(child, 2);
    expect(good).toMatchObject({ verdict: 'ok', status: 503 });
    expect(unsigned!.verdict).toMatch(/^missing_header: /);
  });

  it('without --secret prints deliveries as unverified and answers 200', async () => {
    const { child, url } = await listen([]);
    expect(child.stdout).toContain('unverified');
    expect((await post(url, 'not json at all', {})).status).toBe(200);
    const [delivery] = await printed(child, 1);
    expect(delivery).toMatchObject({ type: '-', id: '-', verdict: 'unverified', status: 200 });
    expect(child.stdout).toContain('not json at all');
  });

  it.each([
    ['--scheme nope', ['--scheme', 'nope'], '--scheme'],
    ['--status 99', ['--status', '99'], '--status'],
    ['--port x', ['--port', 'x'], '--port'],
    ['--header-prefix "X Bad"', ['--header-prefix', 'X Bad'], '--header-prefix'],
    ['an unknown flag', ['--database', 'x.db'], '--database'],
  ])('%s: exits 2 with one line naming it', async (_label, args, name) => {
    const child = new Hookd(['listen', ...args], { cwd: tempDir('hookd-listen-') });
    expect((await child.waitForExit()).code).toBe(2);
    const lines = stderrLines(child.stderr);
    expect(lines, child.stderr).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });

  it('a port already in use exits 2 naming --port', async () => {
    const { url } = await listen([]);
    const port = new URL(url).port;
    const second = new Hookd(['listen', '--port', port], { cwd: tempDir('hookd-listen-') });
    expect((await second.waitForExit()).code).toBe(2);
    expect(second.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(`--port: 127.0.0.1:${port} is already in use`),
    ]);
  });
});

describe('a real hookd delivering to hookd listen', { timeout: 30_000 }, () => {
  it.each([
    ['standard', 'X-Webhook-', SECRET],
    ['timestamp-nonce', 'X-Platos-', 'platos-secret-1'],
    ['body', 'X-Platica-', 'platica-secret-1'],
  ] as const)(
    '%s: the delivery prints as ok and the delivery log shows success',
    async (scheme: SignatureScheme, headerPrefix, secret) => {
      const { child, url } = await listen(['--secret', secret, '--scheme', scheme, '--header-prefix', headerPrefix]);
      app = await startTestApp();
      const webhook = await createWebhook(app, { url: `${url}/hooks`, secret, signature: { scheme, headerPrefix } });
      const published = await publish(app, { type: 'order.paid', data: { amount: 1200 } });

      const [delivery] = await printed(child, 1);
      expect(delivery).toMatchObject({ type: 'order.paid', id: published.id, verdict: 'ok', status: 200 });
      expect(child.stdout).toContain('"amount": 1200');
      const [logged] = await settledDeliveries(app, webhook.id, 1);
      expect(logged).toMatchObject({ status: 'success', responseStatus: 200 });
    },
  );
});
