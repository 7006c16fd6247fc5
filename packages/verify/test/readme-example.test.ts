// The README's Express example, line for line, against a real server: the lines below are checked to be the README's.
import { readFileSync } from 'node:fs';
import express from 'express';
import { webhookMiddleware } from '@hookd/verify/express';
import { afterEach, describe, expect, it } from 'vitest';
import { ODD_BODY, postSigned, SECRET, serve, tamper, type Served } from './support/http.js';

const README = new URL('../../../README.md', import.meta.url);
const events: unknown[] = [];
const handleEvent = (event: unknown) => events.push(event);
let server: Served | undefined;
const savedSecret = process.env.WEBHOOK_SECRET;

afterEach(async () => {
  await server?.close();
  if (savedSecret === undefined) delete process.env.WEBHOOK_SECRET;
  else process.env.WEBHOOK_SECRET = savedSecret;
});

function readmeApp() {
  const app = express();
  app.post('/webhooks', webhookMiddleware({ secret: process.env.WEBHOOK_SECRET! }), (req, res) => {
    handleEvent(req.webhook!); // verified; a bad delivery was answered 401 with the reason
    res.sendStatus(200);
  });
  return app;
}

describe('README: Receiving webhooks', () => {
  it('shows lines that are all in this test', () => {
    const section = readFileSync(README, 'utf8').split('## Receiving webhooks')[1] ?? '';
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example, 'a ts block under "## Receiving webhooks"').toBeDefined();
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    const lines = example!
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(source, line).toContain(line);
  });

  it('runs: 200 and the event for a signed delivery, 401 with the reason for a tampered one', async () => {
    process.env.WEBHOOK_SECRET = SECRET;
    server = await serve(readmeApp());
    expect((await postSigned(`${server.url}/webhooks`, ODD_BODY)).status).toBe(200);
    expect(await postSigned(`${server.url}/webhooks`, tamper(ODD_BODY), { signedBody: ODD_BODY })).toMatchObject({
      status: 401,
      body: { error: { code: 'bad_signature' } },
    });
    expect(events).toEqual([JSON.parse(ODD_BODY)]);
  });
});
