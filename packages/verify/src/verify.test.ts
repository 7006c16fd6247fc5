// verify(): the Standard Webhooks known answer and its negative cases, every scheme, rotation, header shapes, replays.
import { Buffer } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { WebhookVerificationError, type VerificationFailure } from './errors.js';
import { MemoryReplayStore, type AsyncReplayStore } from './replay-store.js';
import { sign } from './sign.js';
import { STANDARD_VECTOR } from '../test/support/standard-vector.js';
import { verify, verifyAsync, type VerifyOptions } from './verify.js';

const vector = STANDARD_VECTOR;
const vectorHeaders = {
  'webhook-id': vector.id,
  'webhook-timestamp': String(vector.timestamp),
  'webhook-signature': vector.signature,
};
const atVector = { now: () => vector.timestamp * 1000 };

/** The reason verification failed with; fails the test if it passed or threw something else. */
function reasonOf(run: () => unknown): VerificationFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
  throw new Error('verification passed');
}

describe('verify() with the Standard Webhooks known-answer vector', () => {
  it('accepts the vector at its own time and returns the parsed body', () => {
    expect(verify(vector.body, vectorHeaders, vector.secret, atVector)).toEqual({ test: 2432232314 });
  });

  it('accepts the secret without its whsec_ prefix, and the body as Buffer or Uint8Array', () => {
    expect(verify(vector.body, vectorHeaders, vector.secret.slice('whsec_'.length), atVector)).toEqual({
      test: 2432232314,
    });
    expect(verify(Buffer.from(vector.body), vectorHeaders, vector.secret, atVector)).toEqual({ test: 2432232314 });
    const bytes = new TextEncoder().encode(`xx${vector.body}`).subarray(2);
    expect(verify(bytes, vectorHeaders, vector.secret, atVector)).toEqual({ test: 2432232314 });
  });

  it('refuses a wrong signature, a wrong secret and a tampered body: bad_signature', () => {
    const wrong = { ...vectorHeaders, 'webhook-signature': 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=' };
    expect(reasonOf(() => verify(vector.body, wrong, vector.secret, atVector))).toBe('bad_signature');
    const stranger = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
    expect(reasonOf(() => verify(vector.body, vectorHeaders, stranger, atVector))).toBe('bad_signature');
    expect(reasonOf(() => verify('{"test": 2432232315}', vectorHeaders, vector.secret, atVector))).toBe(
      'bad_signature',
    );
    expect(reasonOf(() => verify('{"test":2432232314}', vectorHeaders, vector.secret, atVector))).toBe('bad_signature');
    // Another version tag, or the signature without one, is not a v1 signature.
    const untagged = { ...vectorHeaders, 'webhook-signature': vector.signature.slice(3) };
    expect(reasonOf(() => verify(vector.body, untagged, vector.secret, atVector))).toBe('bad_signature');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses a delivery without %s: missing_header naming it',
    (name) => {
      const headers: Record<string, string> = { ...vectorHeaders };
      delete headers[name];
      const error = (() => {
        try {
          verify(vector.body, headers, vector.secret, atVector);
        } catch (caught) {
          return caught as WebhookVerificationError;
        }
      })();
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect(error!.reason).toBe('missing_header');
      expect(error!.message).toContain(name);
    },
  );

  it('refuses a timestamp more than the tolerance old or ahead, and honours toleranceSeconds', () => {
    const at =
      (seconds: number, options: VerifyOptions = {}) =>
      () =>
        verify(vector.body, vectorHeaders, vector.secret, { ...options, now: () => seconds * 1000 });
    expect(reasonOf(at(vector.timestamp + 301))).toBe('timestamp_out_of_tolerance');
    expect(reasonOf(at(vector.timestamp - 301))).toBe('timestamp_out_of_tolerance');
    expect(at(vector.timestamp + 299)()).toEqual({ test: 2432232314 });
    expect(at(vector.timestamp - 299)()).toEqual({ test: 2432232314 });
    expect(reasonOf(at(vector.timestamp + 61, { toleranceSeconds: 60 }))).toBe('timestamp_out_of_tolerance');
    // Today the vector is years old: the real clock refuses it.
    expect(reasonOf(() => verify(vector.body, vectorHeaders, vector.secret))).toBe('timestamp_out_of_tolerance');
  });

  it('refuses a timestamp that is not unix seconds', () => {
    for (const timestamp of ['2021-02-23T20:22:10Z', '1614265330.5', '', ' ']) {
      const headers = { ...vectorHeaders, 'webhook-timestamp': timestamp };
      expect(['timestamp_out_of_tolerance', 'missing_header']).toContain(
        reasonOf(() => verify(vector.body, headers, vector.secret, atVector)),
      );
    }
  });

  it('accepts several signatures when one matches, whatever its place', () => {
    const other = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    for (const list of [
      `${other} ${vector.signature}`,
      `${vector.signature} ${other}`,
      `v1a,abc ${other} ${vector.signature}`,
    ]) {
      expect(verify(vector.body, { ...vectorHeaders, 'webhook-signature': list }, vector.secret, atVector)).toEqual({
        test: 2432232314,
      });
    }
    expect(
      reasonOf(() =>
        verify(vector.body, { ...vectorHeaders, 'webhook-signature': `${other} ${other}` }, vector.secret, atVector),
      ),
    ).toBe('bad_signature');
  });

  it('takes the injected clock as milliseconds (and tolerates a Date)', () => {
    expect(
      verify(vector.body, vectorHeaders, vector.secret, {
        now: () => new Date(vector.timestamp * 1000) as unknown as number,
      }),
    ).toEqual({ test: 2432232314 });
  });
});

describe('header shapes', () => {
  it('reads a WHATWG Headers, Node IncomingHttpHeaders and a plain object with any capitalisation', () => {
    expect(verify(vector.body, new Headers(vectorHeaders), vector.secret, atVector)).toEqual({ test: 2432232314 });
    const node: IncomingHttpHeaders = { ...vectorHeaders, 'content-type': 'application/json' };
    expect(verify(vector.body, node, vector.secret, atVector)).toEqual({ test: 2432232314 });
    const capitalised = {
      'Webhook-Id': vector.id,
      'WEBHOOK-TIMESTAMP': String(vector.timestamp),
      'Webhook-Signature': vector.signature,
    };
    expect(verify(vector.body, capitalised, vector.secret, atVector)).toEqual({ test: 2432232314 });
  });

  it('reads a header given as an array of values (a repeated webhook-signature)', () => {
    const headers = {
      ...vectorHeaders,
      'webhook-signature': ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', vector.signature],
    };
    expect(verify(vector.body, headers, vector.secret, atVector)).toEqual({ test: 2432232314 });
  });

  it('reads a repeated webhook-signature joined with ", " as Node and fetch join it, in either order', () => {
    const other = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    for (const order of [
      [other, vector.signature],
      [vector.signature, other],
    ]) {
      const joined = new Headers(vectorHeaders);
      joined.delete('webhook-signature');
      for (const value of order) joined.append('webhook-signature', value);
      expect(joined.get('webhook-signature')).toBe(order.join(', '));
      expect(verify(vector.body, joined, vector.secret, atVector)).toEqual({ test: 2432232314 });
    }
  });
});

describe('verify() with every scheme and rotation, against sign()', () => {
  const body = '{ "id": "evt_1",  "type": "conversation.created", "data": {"b": 1, "a": "ü"} }';
  const timestamp = 1_700_000_000;
  const now = () => timestamp * 1000 + 1_000;

  it('timestamp-nonce: accepts what sign() makes under the prefix; tampering, a wrong nonce or secret fail', () => {
    const secret = 'platos-secret-1';
    const options = { scheme: 'timestamp-nonce', headerPrefix: 'X-Platos-', now } as const;
    const headers = sign({
      scheme: 'timestamp-nonce',
      headerPrefix: 'X-Platos-',
      secrets: [secret],
      body,
      id: 'evt_1',
      timestamp,
    });
    expect(verify(body, headers, secret, options)).toEqual(JSON.parse(body));
    expect(reasonOf(() => verify(body.replace('ü', 'u'), headers, secret, options))).toBe('bad_signature');
    expect(reasonOf(() => verify(body, { ...headers, 'X-Platos-Nonce': 'another' }, secret, options))).toBe(
      'bad_signature',
    );
    expect(reasonOf(() => verify(body, headers, 'other-secret', options))).toBe('bad_signature');
    expect(reasonOf(() => verify(body, headers, secret, { ...options, headerPrefix: 'X-Webhook-' }))).toBe(
      'missing_header',
    );
    expect(reasonOf(() => verify(body, headers, secret, { ...options, now: () => (timestamp + 301) * 1000 }))).toBe(
      'timestamp_out_of_tolerance',
    );
    const { 'X-Platos-Nonce': _nonce, ...noNonce } = headers;
    expect(reasonOf(() => verify(body, noNonce, secret, options))).toBe('missing_header');
  });

  it('body: accepts sha256=<hex> (and bare hex), refuses a tampered body; no timestamp is checked', () => {
    const secret = 'platica-secret';
    const headers = sign({ scheme: 'body', secrets: [secret], body, id: 'evt_1', timestamp });
    expect(verify(body, headers, secret, { scheme: 'body' })).toEqual(JSON.parse(body));
    const bare = { 'X-Webhook-Signature': headers['X-Webhook-Signature']!.slice('sha256='.length).toUpperCase() };
    expect(verify(body, bare, secret, { scheme: 'body' })).toEqual(JSON.parse(body));
    expect(reasonOf(() => verify(`${body} `, headers, secret, { scheme: 'body' }))).toBe('bad_signature');
    expect(reasonOf(() => verify(body, {}, secret, { scheme: 'body' }))).toBe('missing_header');
  });

  it.each(['timestamp-nonce', 'body'] as const)(
    '%s during a rotation: the old secret verifies through Signature-Previous, the new through Signature',
    (scheme) => {
      const headers = sign({ scheme, secrets: ['new-secret', 'old-secret'], body, id: 'evt_1', timestamp });
      expect(Object.keys(headers)).toContain('X-Webhook-Signature-Previous');
      for (const secret of ['new-secret', 'old-secret', ['unrelated', 'old-secret']])
        expect(verify(body, headers, secret, { scheme, now })).toEqual(JSON.parse(body));
      expect(reasonOf(() => verify(body, headers, 'unrelated', { scheme, now }))).toBe('bad_signature');
    },
  );

  it('standard during a rotation, and a receiver holding both secrets', () => {
    const fresh = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
    const headers = sign({ scheme: 'standard', secrets: [fresh, vector.secret], body, id: 'evt_1', timestamp });
    expect(verify(body, headers, vector.secret, { now })).toEqual(JSON.parse(body));
    expect(verify(body, headers, fresh, { now })).toEqual(JSON.parse(body));
    const single = sign({ scheme: 'standard', secrets: [vector.secret], body, id: 'evt_1', timestamp });
    expect(verify(body, single, [fresh, vector.secret], { now })).toEqual(JSON.parse(body));
  });

  it('a signed body that is not JSON is invalid_body; a parsed object instead of the raw body is invalid_body', () => {
    const secret = 'platica-secret';
    const text = 'not json';
    expect(
      reasonOf(() =>
        verify(text, sign({ scheme: 'body', secrets: [secret], body: text, id: 'x', timestamp }), secret, {
          scheme: 'body',
        }),
      ),
    ).toBe('invalid_body');
    const headers = sign({ scheme: 'body', secrets: [secret], body, id: 'x', timestamp });
    expect(reasonOf(() => verify(JSON.parse(body) as string, headers, secret, { scheme: 'body' }))).toBe(
      'invalid_body',
    );
  });

  it('a call without a secret or with an unknown scheme is a TypeError, not a verification failure', () => {
    expect(() => verify(vector.body, vectorHeaders, '', atVector)).toThrow(TypeError);
    expect(() => verify(vector.body, vectorHeaders, [], atVector)).toThrow(TypeError);
    expect(() => verify(vector.body, vectorHeaders, vector.secret, { scheme: 'none' as 'body' })).toThrow(TypeError);
  });

  it('a signature of another length is bad_signature, not a crash of the comparison', () => {
    const headers = { 'X-Webhook-Signature': 'sha256=00' };
    expect(reasonOf(() => verify(body, headers, 's', { scheme: 'body' }))).toBe('bad_signature');
  });
});

describe('replays', () => {
  const timestamp = 1_700_000_000;
  const body = '{"id":"evt_1","type":"a.b","data":{}}';

  it('standard: the same request twice is refused, a new attempt of the same message (new timestamp) passes', () => {
    const store = new MemoryReplayStore();
    const secret = vector.secret;
    const first = sign({ scheme: 'standard', secrets: [secret], body, id: 'evt_1', timestamp });
    const options = { now: () => timestamp * 1000, replayStore: store };
    expect(verify(body, first, secret, options)).toEqual(JSON.parse(body));
    expect(reasonOf(() => verify(body, first, secret, options))).toBe('replayed');
    const retry = sign({ scheme: 'standard', secrets: [secret], body, id: 'evt_1', timestamp: timestamp + 5 });
    expect(verify(body, retry, secret, { ...options, now: () => (timestamp + 5) * 1000 })).toEqual(JSON.parse(body));
  });

  it('timestamp-nonce: a nonce seen before is refused; a forged request does not use up a nonce', () => {
    const store = new MemoryReplayStore();
    const options = { scheme: 'timestamp-nonce', now: () => timestamp * 1000, replayStore: store } as const;
    const headers = sign({ scheme: 'timestamp-nonce', secrets: ['s'], body, id: 'evt_1', timestamp, nonce: 'n-1' });
    expect(reasonOf(() => verify(body, { ...headers, 'X-Webhook-Signature': '00' }, 's', options))).toBe(
      'bad_signature',
    );
    expect(verify(body, headers, 's', options)).toEqual(JSON.parse(body));
    expect(reasonOf(() => verify(body, headers, 's', options))).toBe('replayed');
    const other = sign({ scheme: 'timestamp-nonce', secrets: ['s'], body, id: 'evt_1', timestamp, nonce: 'n-2' });
    expect(verify(body, other, 's', options)).toEqual(JSON.parse(body));
  });

  it('verify() refuses an asynchronous store; verifyAsync() uses it', async () => {
    const keys = new Set<string>();
    const asyncStore: AsyncReplayStore = {
      seen: async (key) => {
        const seen = keys.has(key);
        keys.add(key);
        return seen;
      },
    };
    const headers = sign({ scheme: 'standard', secrets: [vector.secret], body, id: 'evt_1', timestamp });
    const options = { now: () => timestamp * 1000, replayStore: asyncStore };
    expect(() => verify(body, headers, vector.secret, options as VerifyOptions)).toThrow(/verifyAsync/);
    keys.clear();
    await expect(verifyAsync(body, headers, vector.secret, options)).resolves.toEqual(JSON.parse(body));
    await expect(verifyAsync(body, headers, vector.secret, options)).rejects.toMatchObject({ reason: 'replayed' });
    expect([...keys]).toEqual([`standard:evt_1:${timestamp}`]);
  });
});
