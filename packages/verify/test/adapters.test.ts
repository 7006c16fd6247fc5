// The Express, Fastify and node:http adapters on real servers: 200 on a good delivery, 401 with the reason otherwise,
// and verification over the raw bytes (a body that JSON re-serialisation would change).
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { keepRawBody, webhookMiddleware } from '../src/adapters/express.js';
import { webhookPlugin } from '../src/adapters/fastify.js';
import { webhookHandler } from '../src/adapters/node.js';
import { MemoryReplayStore, sign } from '../src/index.js';
import { ODD_BODY, postSigned, SECRET, serve, tamper, type Served } from './support/http.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function served(listener: Parameters<typeof serve>[0]): Promise<Served> {
  const server = await serve(listener);
  closers.push(() => server.close());
  return server;
}

describe('Express: webhookMiddleware', () => {
  function app(before: express.RequestHandler[] = []) {
    const seen: unknown[] = [];
    const instance = express();
    for (const middleware of before) instance.use(middleware);
    instance.post('/webhooks', webhookMiddleware({ secret: SECRET }), (req, res) => {
      seen.push({ webhook: req.webhook, body: req.body });
      res.sendStatus(200);
    });
    // An app-wide JSON route after the webhook route keeps working.
    instance.post('/other', express.json(), (req, res) => res.json({ echoed: req.body }));
    return { instance, seen };
  }

  it('with no body parser: 200, req.webhook (and req.body) hold the event parsed from the exact bytes', async () => {
    const { instance, seen } = app();
    const { url } = await served(instance);
    expect(await postSigned(`${url}/webhooks`, ODD_BODY)).toMatchObject({ status: 200 });
    expect(seen).toEqual([{ webhook: JSON.parse(ODD_BODY), body: JSON.parse(ODD_BODY) }]);
    // The signature is over the odd bytes: the re-serialised body would not verify.
    expect(JSON.stringify(JSON.parse(ODD_BODY))).not.toBe(ODD_BODY);
    expect(
      (await postSigned(`${url}/webhooks`, JSON.stringify(JSON.parse(ODD_BODY)), { signedBody: ODD_BODY })).status,
    ).toBe(401);
    const other = await fetch(`${url}/other`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await other.json()).toEqual({ echoed: { a: 1 } });
  });

  it('answers 401 naming the reason for a tampered body, missing headers and a stale timestamp; the route never runs', async () => {
    const { instance, seen } = app();
    const { url } = await served(instance);
    expect(await postSigned(`${url}/webhooks`, tamper(ODD_BODY), { signedBody: ODD_BODY })).toEqual({
      status: 401,
      body: { error: { code: 'bad_signature', message: expect.stringContaining('webhook-signature') } },
    });
    const unsigned = await fetch(`${url}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: ODD_BODY,
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'missing_header' } });
    const stale = await postSigned(`${url}/webhooks`, ODD_BODY, {
      sign: { timestamp: Math.floor(Date.now() / 1000) - 3600 },
    });
    expect(stale).toMatchObject({ status: 401, body: { error: { code: 'timestamp_out_of_tolerance' } } });
    expect(seen).toEqual([]);
  });

  it.each([
    ['express.raw()', [express.raw({ type: '*/*' })]],
    ['express.text()', [express.text({ type: '*/*' })]],
    ['express.json({ verify: keepRawBody })', [express.json({ verify: keepRawBody })]],
  ])('after %s: verifies the kept bytes', async (_label, before) => {
    const { instance, seen } = app(before);
    const { url } = await served(instance);
    expect((await postSigned(`${url}/webhooks`, ODD_BODY)).status).toBe(200);
    expect((await postSigned(`${url}/webhooks`, tamper(ODD_BODY), { signedBody: ODD_BODY })).status).toBe(401);
    expect(seen).toHaveLength(1);
    expect((seen[0] as { webhook: unknown }).webhook).toEqual(JSON.parse(ODD_BODY));
  });

  it('after a plain express.json() the bytes are gone: an error (500) that says how to fix it, never a pass', async () => {
    const { instance, seen } = app([express.json()]);
    const errors: string[] = [];
    instance.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error.message);
      res.status(500).end();
    });
    const { url } = await served(instance);
    expect((await postSigned(`${url}/webhooks`, ODD_BODY)).status).toBe(500);
    expect(errors).toEqual([expect.stringContaining('keepRawBody')]);
    expect(seen).toEqual([]);
  });

  it('refuses to start without a secret', () => {
    expect(() => webhookMiddleware({ secret: process.env.HOOKD_TEST_UNSET_SECRET! })).toThrow(/secret/);
  });
});

describe('Fastify: webhookPlugin', () => {
  async function app(): Promise<{ url: string; seen: unknown[] }> {
    const seen: unknown[] = [];
    const fastify: FastifyInstance = Fastify();
    await fastify.register(async (hooks) => {
      await hooks.register(webhookPlugin, { secret: SECRET, replayStore: new MemoryReplayStore() });
      hooks.post('/webhooks', { schema: { body: { type: 'object', required: ['type', 'data'] } } }, async (request) => {
        seen.push({ webhook: request.webhook, body: request.body, raw: request.rawBody?.toString('utf8') });
        return { received: true };
      });
    });
    // Outside the scope, JSON parsing is Fastify's own.
    fastify.post('/other', async (request) => ({ echoed: request.body }));
    const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => fastify.close());
    return { url, seen };
  }

  it('200 with the event parsed from the exact bytes; the route schema validates the event; other routes untouched', async () => {
    const { url, seen } = await app();
    expect(await postSigned(`${url}/webhooks`, ODD_BODY)).toEqual({ status: 200, body: { received: true } });
    expect(seen).toEqual([{ webhook: JSON.parse(ODD_BODY), body: JSON.parse(ODD_BODY), raw: ODD_BODY }]);
    const other = await fetch(`${url}/other`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await other.json()).toEqual({ echoed: { a: 1 } });
  });

  it('401 naming the reason: tampered, re-serialised, unsigned, replayed', async () => {
    const { url, seen } = await app();
    expect(await postSigned(`${url}/webhooks`, tamper(ODD_BODY), { signedBody: ODD_BODY })).toMatchObject({
      status: 401,
      body: { error: { code: 'bad_signature' } },
    });
    expect(
      (await postSigned(`${url}/webhooks`, JSON.stringify(JSON.parse(ODD_BODY)), { signedBody: ODD_BODY })).status,
    ).toBe(401);
    const unsigned = await fetch(`${url}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: ODD_BODY,
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'missing_header' } });

    const headers = {
      'content-type': 'application/json',
      ...sign({
        scheme: 'standard',
        secrets: [SECRET],
        body: ODD_BODY,
        id: 'evt_r',
        timestamp: Math.floor(Date.now() / 1000),
      }),
    };
    expect((await fetch(`${url}/webhooks`, { method: 'POST', headers, body: ODD_BODY })).status).toBe(200);
    const replay = await fetch(`${url}/webhooks`, { method: 'POST', headers, body: ODD_BODY });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { code: 'replayed' } });
    expect(seen).toHaveLength(1);
  });
});

describe('node:http: webhookHandler', () => {
  it('200 after the handler; 401 with the reason; the handler may answer itself; a throwing handler gives 500', async () => {
    const seen: unknown[] = [];
    const { url } = await served(
      webhookHandler({ secret: SECRET, scheme: 'body', headerPrefix: 'X-Shop-' }, (event, req, res) => {
        seen.push(event);
        if (req.url === '/accepted') res.writeHead(202).end('later');
        if (req.url === '/broken') throw new Error('handler bug');
      }),
    );
    const bodyScheme = { scheme: 'body', headerPrefix: 'X-Shop-' } as const;
    expect((await postSigned(`${url}/hooks`, ODD_BODY, { sign: bodyScheme })).status).toBe(200);
    expect(await postSigned(`${url}/accepted`, ODD_BODY, { sign: bodyScheme })).toEqual({ status: 202, body: 'later' });
    expect(
      await postSigned(`${url}/hooks`, tamper(ODD_BODY), { signedBody: ODD_BODY, sign: bodyScheme }),
    ).toMatchObject({
      status: 401,
      body: { error: { code: 'bad_signature', message: expect.stringContaining('X-Shop-Signature') } },
    });
    expect(
      (
        await postSigned(`${url}/hooks`, JSON.stringify(JSON.parse(ODD_BODY)), {
          signedBody: ODD_BODY,
          sign: bodyScheme,
        })
      ).status,
    ).toBe(401);
    const broken = await (async () => {
      const original = console.error;
      console.error = () => undefined;
      try {
        return await postSigned(`${url}/broken`, ODD_BODY, { sign: bodyScheme });
      } finally {
        console.error = original;
      }
    })();
    expect(broken.status).toBe(500);
    expect(seen).toEqual([JSON.parse(ODD_BODY), JSON.parse(ODD_BODY), JSON.parse(ODD_BODY)]);
  });

  it('refuses a body over the limit with 401 invalid_body, and still answers', async () => {
    const { url } = await served(webhookHandler({ secret: SECRET, bodyLimitBytes: 64 }, () => undefined));
    expect(await postSigned(`${url}/hooks`, ODD_BODY + ' '.repeat(100))).toMatchObject({
      status: 401,
      body: { error: { code: 'invalid_body' } },
    });
  });
});
