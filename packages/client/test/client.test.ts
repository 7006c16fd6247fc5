// @hookd/client against a real hookd over HTTP: typed calls, the API's errors as HookdApiError, cursors followed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../server/test/support/eventually.js';
import { closedPort, startReceiver, type Receiver } from '../../server/test/support/receiver.js';
import {
  createHookdClient,
  dataOf,
  HookdApiError,
  HookdConnectionError,
  paginate,
  type HookdClient,
  type Webhook,
} from '../src/index.js';
import { startLiveServer, type LiveServer } from './support/live-server.js';

let server: LiveServer;
let receiver: Receiver;
let hookd: HookdClient;

beforeAll(async () => {
  server = await startLiveServer();
  receiver = await startReceiver();
  hookd = createHookdClient({ url: server.url, apiKey: server.adminKey });
});
afterAll(async () => {
  await receiver.close();
  await server.close();
});

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('@hookd/client', () => {
  it('creates a webhook, publishes, reads the delivery log and retries a delivery', async () => {
    const webhook = await dataOf(
      hookd.POST('/api/v1/webhooks', { body: { url: receiver.url, events: ['order.*'], description: 'client test' } }),
    );
    expect(webhook).toMatchObject({
      url: receiver.url,
      events: ['order.*'],
      description: 'client test',
      active: true,
      status: 'healthy',
    });
    expect(webhook.secret).toMatch(/^whsec_/);

    const published = await dataOf(
      hookd.POST('/api/v1/events', {
        body: { type: 'order.paid', data: { amount: 1200 } },
        params: { header: { 'idempotency-key': 'order-1-paid' } },
      }),
    );
    expect(published).toMatchObject({ type: 'order.paid', deliveries: 1 });
    expect((await receiver.nth(1)).json).toMatchObject({
      id: published.id,
      type: 'order.paid',
      data: { amount: 1200 },
    });
    // The same request under the same Idempotency-Key answers the first result and delivers nothing again; another one is a 409.
    expect(
      await dataOf(
        hookd.POST('/api/v1/events', {
          body: { type: 'order.paid', data: { amount: 1200 } },
          params: { header: { 'idempotency-key': 'order-1-paid' } },
        }),
      ),
    ).toEqual(published);
    const conflict = await caught(
      dataOf(
        hookd.POST('/api/v1/events', {
          body: { type: 'order.paid', data: { amount: 1 } },
          params: { header: { 'idempotency-key': 'order-1-paid' } },
        }),
      ),
    );
    expect(conflict).toMatchObject({
      status: 409,
      code: 'HOOKD_ERR_IDEMPOTENCY_CONFLICT',
      details: [{ field: 'data' }],
    });

    const log = await eventually(async () => {
      const page = await dataOf(
        hookd.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhook.id }, query: { status: 'success' } },
        }),
      );
      expect(page.data).toHaveLength(1);
      return page;
    });
    const [delivery] = log.data;
    expect(delivery).toMatchObject({
      webhookId: webhook.id,
      eventId: published.id,
      event: 'order.paid',
      status: 'success',
      responseStatus: 200,
      attempts: 1,
    });

    const retried = await dataOf(
      hookd.POST('/api/v1/webhooks/deliveries/{id}/retry', { params: { path: { id: delivery!.id } }, body: {} }),
    );
    expect(retried.id).toBe(delivery!.id);
    expect((await receiver.nth(2)).json).toMatchObject({ id: published.id });
    await eventually(async () => {
      const attempts = await dataOf(
        hookd.GET('/api/v1/deliveries/{id}/attempts', { params: { path: { id: delivery!.id } } }),
      );
      expect(attempts.data.map((attempt) => attempt.responseStatus)).toEqual([200, 200]);
    });

    await dataOf(hookd.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id } } }));
    expect(await caught(hookd.GET('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id } } }))).toMatchObject({
      status: 404,
    });
  });

  it('throws HookdApiError with the status, code and message of a 4xx', async () => {
    const missing = await caught(hookd.GET('/api/v1/webhooks/{id}', { params: { path: { id: 'wh_nope' } } }));
    expect(missing).toBeInstanceOf(HookdApiError);
    expect(missing).toMatchObject({
      status: 404,
      code: expect.stringMatching(/NOT_FOUND$/),
      request: `GET ${server.url}/api/v1/webhooks/wh_nope`,
    });
    expect((missing as Error).message).toContain('wh_nope');

    const invalid = await caught(hookd.POST('/api/v1/webhooks', { body: { url: 'not a url' } }));
    expect(invalid).toMatchObject({
      status: 400,
      code: 'HOOKD_ERR_VALIDATION',
      details: [expect.objectContaining({ field: 'url' })],
    });

    const stranger = createHookdClient({ url: server.url, apiKey: 'hk_not_a_real_key_0000000000' });
    expect(await caught(stranger.GET('/api/v1/webhooks'))).toMatchObject({
      name: 'HookdApiError',
      status: 401,
      code: 'HOOKD_ERR_UNAUTHORIZED',
      message: 'invalid API key',
    });
  });

  it('throws HookdConnectionError naming the URL when nothing listens there', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const error = await caught(createHookdClient({ url, apiKey: server.adminKey }).GET('/api/v1/webhooks'));
    expect(error).toBeInstanceOf(HookdConnectionError);
    expect((error as HookdConnectionError).message).toBe(`cannot reach hookd at ${url} (ECONNREFUSED)`);
  });

  // Not timed: the server never answers, so only timeoutMs can end the call; the default (30 s) would outlast the
  // test's 20 s limit, so a client that ignored timeoutMs fails here without the test measuring a duration.
  it('throws HookdConnectionError when the server accepts but never answers within timeoutMs', async () => {
    const silent = await startReceiver({ then: 'hang' });
    try {
      const error = await caught(
        createHookdClient({ url: silent.origin, apiKey: server.adminKey, timeoutMs: 300 }).GET('/api/v1/webhooks'),
      );
      expect(error).toBeInstanceOf(HookdConnectionError);
      expect((error as Error).message).toBe(`cannot reach hookd at ${silent.origin} (no answer in time)`);
    } finally {
      await silent.close();
    }
  });

  it('paginate() follows nextCursor through every page', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++)
      made.push((await dataOf(hookd.POST('/api/v1/webhooks', { body: { url: `https://example.com/${i}` } }))).id);
    const seen: Webhook[] = [];
    const pagesAsked: (string | undefined)[] = [];
    for await (const webhook of paginate((cursor) => {
      pagesAsked.push(cursor);
      return dataOf(hookd.GET('/api/v1/webhooks', { params: { query: { limit: 2, cursor } } }));
    })) {
      seen.push(webhook);
    }
    expect(seen.map((webhook) => webhook.id).sort()).toEqual([...made].sort());
    expect(pagesAsked).toHaveLength(3);
    expect(pagesAsked[0]).toBeUndefined();
  });
});
