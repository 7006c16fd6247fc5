// The API's request limits through HTTP: requests a second per API key, and failed authentications a minute per
// client address, each answered 429 with Retry-After and the API's error body.
import { afterEach, describe, expect, it } from 'vitest';
import { httpCall } from './support/http-call.js';
import { expectError, startTestApp, type CallResult, type TestApp } from './support/test-app.js';

let t: TestApp | undefined;
afterEach(async () => t?.close());

async function issueKey(app: TestApp): Promise<string> {
  const issued = await app.call('POST', `/api/v1/workspaces/${app.workspaceId}/keys`, { body: { name: 'other' } });
  expect(issued.status).toBe(201);
  return issued.body.key;
}

/** GET /api/v1/webhooks on `app` as if from `remoteAddress`, with the bearer key `key`. */
function fromAddress(app: TestApp) {
  return (remoteAddress: string, key: string) =>
    app.app.inject({
      method: 'GET',
      url: '/api/v1/webhooks',
      remoteAddress,
      headers: { authorization: `Bearer ${key}` },
    });
}

function expectRateLimited(result: CallResult): string {
  const error = expectError(result, 429);
  expect(error.code).toBe('HOOKD_ERR_RATE_LIMITED');
  expect(String(result.headers['retry-after'])).toMatch(/^[1-9]\d*$/);
  return error.message;
}

/** Sends `request` until it is refused (up to `most` times): answers the statuses before the refusal, and it. */
async function untilRefused(
  request: () => Promise<CallResult>,
  most: number,
): Promise<{ before: number[]; refused: CallResult }> {
  const before: number[] = [];
  for (let i = 0; i < most; i++) {
    const result = await request();
    if (result.status === 429) return { before, refused: result };
    before.push(result.status);
  }
  throw new Error(`no 429 in ${most} requests: ${before.join(',')}`);
}

/** A clock for the request limits that stands still until the test moves it, so no request races a refill. */
function standingClock(): { now: () => number; advance: (ms: number) => void } {
  let nowMs = 0;
  return { now: () => nowMs, advance: (ms) => (nowMs += ms) };
}

describe('--api-rate-limit', () => {
  it('answers 429 with Retry-After once a key has used its burst, while another key is unaffected', async () => {
    // 3 a second: a burst of 3 at the start, and time stands still until moved, so exactly the burst gets through.
    const clock = standingClock();
    t = await startTestApp({ limits: { requestsPerSecondPerKey: 3 }, monotonicClock: clock.now });
    const other = await issueKey(t); // this takes one of the admin key's 3
    const { before, refused } = await untilRefused(() => t!.call('GET', '/api/v1/webhooks'), 100);
    expect(before).toEqual([200, 200]);
    expect(expectRateLimited(refused)).toContain('3 a second');
    expect(refused.body).toEqual({ error: { code: 'HOOKD_ERR_RATE_LIMITED', message: expect.any(String) } });
    expect((await t.call('GET', '/api/v1/webhooks', { key: other })).status).toBe(200);

    // A third of a second later one request's worth has come back, and only one.
    clock.advance(334);
    expect((await t.call('GET', '/api/v1/webhooks')).status).toBe(200);
    expectRateLimited(await t.call('GET', '/api/v1/webhooks'));
  });
});

describe('failed authentications per address', () => {
  it('answers 429 to every request from an address past its failures, even with the right key, and not to other addresses', async () => {
    t = await startTestApp({ limits: { failedAuthsPerMinutePerAddress: 3 } });
    const from = fromAddress(t);

    for (let guess = 0; guess < 3; guess++)
      expect((await from('203.0.113.7', `hk_guess-${guess}-000000000000000000000`)).statusCode).toBe(401);
    const refused = await from('203.0.113.7', t.adminKey);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      error: { code: 'HOOKD_ERR_RATE_LIMITED', message: expect.stringContaining('failed authentications') },
    });
    // One failure comes back every 20 s at 3 a minute.
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(20);
    expect((await from('203.0.113.7', 'hk_one-more-guess-000000000000000000')).statusCode).toBe(429);

    expect((await from('198.51.100.1', t.adminKey)).statusCode).toBe(200);
  });

  it('counts an IPv6 client per /64: its other addresses are refused too, the next /64 is not', async () => {
    t = await startTestApp({ limits: { failedAuthsPerMinutePerAddress: 2 } });
    const from = fromAddress(t);

    // A host holding 2001:db8:1:2::/64 guesses from a fresh address each time.
    expect((await from('2001:db8:1:2::1', 'hk_guess-1-000000000000000000000')).statusCode).toBe(401);
    expect((await from('2001:db8:1:2::2', 'hk_guess-2-000000000000000000000')).statusCode).toBe(401);
    expect((await from('2001:db8:1:2:ffff:ffff:ffff:ffff', 'hk_guess-3-00000000000000000000')).statusCode).toBe(429);
    expect((await from('2001:db8:1:2:abcd::9', t.adminKey)).statusCode).toBe(429);

    expect((await from('2001:db8:1:3::1', t.adminKey)).statusCode).toBe(200);
  });

  it('counts requests with no key at all as failures', async () => {
    t = await startTestApp({ limits: { failedAuthsPerMinutePerAddress: 2 } });
    const bare = () => t!.app.inject({ method: 'GET', url: '/api/v1/webhooks', remoteAddress: '203.0.113.8' });
    expect([(await bare()).statusCode, (await bare()).statusCode, (await bare()).statusCode]).toEqual([401, 401, 429]);
  });
});

describe('--trust-proxy', () => {
  /** Starts the app on a real port of 127.0.0.1, and answers a GET of /api/v1/webhooks sent there with these headers. */
  async function listening(app: TestApp): Promise<(forwardedFor: string, key: string) => Promise<number>> {
    const url = await app.app.listen({ host: '127.0.0.1', port: 0 });
    return async (forwardedFor, key) =>
      (await httpCall(`${url}/api/v1/webhooks`, { key, headers: { 'x-forwarded-for': forwardedFor } })).status;
  }

  it("limits the clients behind a trusted proxy each by the address it forwards, not by the proxy's", async () => {
    // The test connects from 127.0.0.1: here it plays the load balancer in front of hookd.
    t = await startTestApp({ limits: { failedAuthsPerMinutePerAddress: 2 }, trustProxy: ['127.0.0.1/32'] });
    const get = await listening(t);

    expect(await get('203.0.113.7', 'hk_guess-1-000000000000000000000')).toBe(401);
    expect(await get('203.0.113.7', 'hk_guess-2-000000000000000000000')).toBe(401);
    expect(await get('203.0.113.7', t.adminKey)).toBe(429);
    // Another client behind the same proxy is not held to the first one's failures.
    expect(await get('198.51.100.1', t.adminKey)).toBe(200);
    // A client that writes its own X-Forwarded-For gets the proxy's entry (the last) appended: still refused.
    expect(await get('198.51.100.1, 203.0.113.7', t.adminKey)).toBe(429);
  });

  it('ignores X-Forwarded-For unless the connection comes from a listed proxy, so a client cannot name another address', async () => {
    t = await startTestApp({ limits: { failedAuthsPerMinutePerAddress: 2 } });
    const get = await listening(t);

    expect(await get('203.0.113.7', 'hk_guess-1-000000000000000000000')).toBe(401);
    expect(await get('203.0.113.8', 'hk_guess-2-000000000000000000000')).toBe(401);
    expect(await get('198.51.100.1', t.adminKey)).toBe(429);
  });

  it('believes only the listed proxies: an entry added by an unlisted one is where the trust stops', async () => {
    t = await startTestApp({ limits: { failedAuthsPerMinutePerAddress: 2 }, trustProxy: ['10.0.0.0/8'] });
    const get = await listening(t);

    expect(await get('203.0.113.7', 'hk_guess-1-000000000000000000000')).toBe(401);
    expect(await get('203.0.113.8', 'hk_guess-2-000000000000000000000')).toBe(401);
    expect(await get('198.51.100.1', t.adminKey)).toBe(429);
  });
});
