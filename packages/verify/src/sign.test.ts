// Unit tests of sign(): the Standard Webhooks known answer, the standardwebhooks verifier, and the hex schemes by hand.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STANDARD_VECTOR } from '../test/support/standard-vector.js';
import { sign, type SignInput } from './sign.js';
import { verify } from './verify.js';

const vector = STANDARD_VECTOR;

const hexHmac = (key: string, message: string) => createHmac('sha256', key).update(message, 'utf8').digest('hex');

afterEach(() => {
  vi.useRealTimers();
});

describe('sign() with the standard scheme', () => {
  it('produces the Standard Webhooks known-answer signature', () => {
    const headers = sign({
      scheme: 'standard',
      secrets: [vector.secret],
      body: vector.body,
      id: vector.id,
      timestamp: vector.timestamp,
    });
    expect(headers).toEqual({
      'webhook-id': vector.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': vector.signature,
    });
  });

  it('signs the same from bytes as from a string', () => {
    const headers = sign({
      scheme: 'standard',
      secrets: [vector.secret],
      body: new TextEncoder().encode(vector.body),
      id: vector.id,
      timestamp: vector.timestamp,
    });
    expect(headers['webhook-signature']).toBe(vector.signature);
  });

  it('is verified by the standardwebhooks package, at the vector time and now', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(vector.timestamp * 1000);
    const atVector = sign({
      scheme: 'standard',
      secrets: [vector.secret],
      body: vector.body,
      id: vector.id,
      timestamp: vector.timestamp,
    });
    expect(new Webhook(vector.secret).verify(vector.body, atVector)).toEqual({ test: 2432232314 });
    vi.useRealTimers();

    const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const body = '{"id":"evt_1","type":"message.created","data":{"text":"héllo ✓"}}';
    const now = sign({
      scheme: 'standard',
      secrets: [secret],
      body,
      id: 'evt_1',
      timestamp: Math.floor(Date.now() / 1000),
    });
    expect(new Webhook(secret).verify(body, now)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('héllo', 'hello'), now)).toThrow();
    expect(() => new Webhook(vector.secret).verify(body, now)).toThrow();
  });

  it('signs with two secrets during a rotation: two space-separated v1 signatures, newest first, each verifies', () => {
    const older = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = sign({
      scheme: 'standard',
      secrets: [vector.secret, older],
      body: vector.body,
      id: vector.id,
      timestamp,
    });
    const signatures = headers['webhook-signature']!.split(' ');
    expect(signatures).toHaveLength(2);
    expect(signatures[0]).toBe(
      sign({ scheme: 'standard', secrets: [vector.secret], body: vector.body, id: vector.id, timestamp })[
        'webhook-signature'
      ],
    );
    expect(signatures[1]).toBe(
      sign({ scheme: 'standard', secrets: [older], body: vector.body, id: vector.id, timestamp })['webhook-signature'],
    );
    expect(new Webhook(vector.secret).verify(vector.body, headers)).toEqual({ test: 2432232314 });
    expect(new Webhook(older).verify(vector.body, headers)).toEqual({ test: 2432232314 });
  });
});

describe('sign() with the timestamp-nonce scheme', () => {
  const secret = 'platos-shared-secret-1';
  const body = '{"event":"conversation.created","data":{}}';

  it('signs `timestamp.nonce.body` in hex with the UTF-8 secret, under the prefix', () => {
    const headers = sign({
      scheme: 'timestamp-nonce',
      headerPrefix: 'X-Platos-',
      secrets: [secret],
      body,
      id: 'evt_1',
      timestamp: 1700000000,
      nonce: 'n-1',
    });
    expect(headers).toEqual({
      'X-Platos-Signature': hexHmac(secret, `1700000000.n-1.${body}`),
      'X-Platos-Timestamp': '1700000000',
      'X-Platos-Nonce': 'n-1',
    });
  });

  it('makes a fresh nonce when none is given, and signs with it', () => {
    const a = sign({ scheme: 'timestamp-nonce', secrets: [secret], body, id: 'evt_1', timestamp: 1700000000 });
    const b = sign({ scheme: 'timestamp-nonce', secrets: [secret], body, id: 'evt_1', timestamp: 1700000000 });
    expect(a['X-Webhook-Nonce']).toMatch(/\S{16,}/);
    expect(a['X-Webhook-Nonce']).not.toBe(b['X-Webhook-Nonce']);
    expect(a['X-Webhook-Signature']).toBe(hexHmac(secret, `1700000000.${a['X-Webhook-Nonce']}.${body}`));
  });

  it('signs with the newest secret in Signature and the previous one in Signature-Previous', () => {
    const headers = sign({
      scheme: 'timestamp-nonce',
      secrets: ['new-secret-2', 'old-secret-1'],
      body,
      id: 'evt_1',
      timestamp: 1700000000,
      nonce: 'n-2',
    });
    expect(headers['X-Webhook-Signature']).toBe(hexHmac('new-secret-2', `1700000000.n-2.${body}`));
    expect(headers['X-Webhook-Signature-Previous']).toBe(hexHmac('old-secret-1', `1700000000.n-2.${body}`));
  });
});

describe('sign() with the body scheme', () => {
  const body = '{"id":"9f8c","event":"conversation.created","data":{"n":"ü"}}';

  it('signs the raw body as `sha256=<hex>` with the UTF-8 secret, default prefix X-Webhook-', () => {
    expect(sign({ scheme: 'body', secrets: ['platica-secret'], body, id: 'evt_1', timestamp: 1700000000 })).toEqual({
      'X-Webhook-Signature': `sha256=${hexHmac('platica-secret', body)}`,
    });
    expect(
      sign({ scheme: 'body', headerPrefix: 'X-Platphorm-', secrets: ['whsec_abc'], body, id: 'evt_1', timestamp: 1 }),
    ).toEqual({
      'X-Platphorm-Signature': `sha256=${hexHmac('whsec_abc', body)}`,
    });
  });

  it('signs with two secrets: the newest in Signature, the previous in Signature-Previous', () => {
    const headers = sign({
      scheme: 'body',
      secrets: ['new-secret-2', 'old-secret-1'],
      body,
      id: 'evt_1',
      timestamp: 1700000000,
    });
    expect(headers).toEqual({
      'X-Webhook-Signature': `sha256=${hexHmac('new-secret-2', body)}`,
      'X-Webhook-Signature-Previous': `sha256=${hexHmac('old-secret-1', body)}`,
    });
  });
});

describe('sign() with the none scheme', () => {
  it('returns no headers', () => {
    expect(sign({ scheme: 'none', secrets: [], body: '{}', id: 'evt_1', timestamp: 1700000000 })).toEqual({});
  });
});

describe('sign() takes the secret as verify() does', () => {
  const body = '{"id":"evt_1","type":"order.paid","data":{}}';
  const timestamp = Math.floor(Date.now() / 1000);

  it('signs with `secret` (a string, or an array while rotating), and verify() accepts it under that secret', () => {
    const headers = sign({ scheme: 'standard', secret: vector.secret, body, id: 'evt_1', timestamp });
    expect(headers).toEqual(sign({ scheme: 'standard', secrets: [vector.secret], body, id: 'evt_1', timestamp }));
    expect(verify(body, headers, vector.secret)).toEqual(JSON.parse(body));

    const older = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
    const rotating = sign({ secret: [vector.secret, older], body, id: 'evt_1', timestamp });
    expect(verify(body, rotating, older)).toEqual(JSON.parse(body));
    expect(sign({ scheme: 'body', secret: 'platica-secret', body })).toEqual({
      'X-Webhook-Signature': `sha256=${hexHmac('platica-secret', body)}`,
    });
  });

  it('defaults to the standard scheme, as verify() does', () => {
    expect(
      sign({ secret: vector.secret, body: vector.body, id: vector.id, timestamp: vector.timestamp })[
        'webhook-signature'
      ],
    ).toBe(vector.signature);
  });

  it('needs no secret, id or timestamp for scheme none', () => {
    expect(sign({ scheme: 'none', secrets: [], body })).toEqual({});
  });
});

describe('sign() refuses a wrong call with a TypeError naming the field', () => {
  const body = '{}';
  // JavaScript callers and mistyped calls: what the types would have caught.
  const signLoosely = (input: Record<string, unknown>) => () => sign(input as unknown as SignInput);

  it.each([
    ['no secret', { scheme: 'standard', body, id: 'evt_1', timestamp: 1 }, /sign: no secret given/],
    [
      'an undefined secret (an unset environment variable)',
      { secret: undefined, body, id: 'evt_1', timestamp: 1 },
      /sign: no secret given/,
    ],
    ['an empty secret', { scheme: 'body', secret: '', body }, /sign: secret is empty/],
    ['"whsec_" with no key after it', { secret: 'whsec_', body, id: 'evt_1', timestamp: 1 }, /sign: secret is empty/],
    ['an empty secret in the rotation', { scheme: 'body', secret: ['s1', ''], body }, /sign: secret\[1\] is empty/],
    ['an empty list of secrets', { scheme: 'body', secrets: [], body }, /sign: secrets is an empty array/],
    [
      'a secret that is not a string',
      { scheme: 'body', secret: 42, body },
      /sign: secret must be a string or an array of strings, not number/,
    ],
    [
      'a rotation holding a non-string',
      { scheme: 'body', secrets: ['s1', null], body },
      /sign: secrets\[1\] must be a string, not null/,
    ],
    [
      'both secret and secrets',
      { scheme: 'body', secret: 's1', secrets: ['s2'], body },
      /sign: give secret or secrets, not both/,
    ],
    [
      'an unknown scheme',
      { scheme: 'sha1', secret: 's1', body, id: 'evt_1', timestamp: 1 },
      /sign: unknown scheme "sha1"/,
    ],
    [
      'a standard call without id',
      { secret: vector.secret, body, timestamp: 1 },
      /sign: id .* required by the standard scheme/,
    ],
    [
      'a standard call without timestamp',
      { secret: vector.secret, body, id: 'evt_1' },
      /sign: timestamp .* required by the standard scheme/,
    ],
    [
      'a timestamp-nonce call without timestamp',
      { scheme: 'timestamp-nonce', secret: 's1', body },
      /sign: timestamp .* required by the timestamp-nonce scheme/,
    ],
    [
      'a timestamp in milliseconds as a string',
      { secret: vector.secret, body, id: 'evt_1', timestamp: '1700000000000' },
      /sign: timestamp must be unix time in whole seconds/,
    ],
    [
      'a fractional timestamp',
      { secret: vector.secret, body, id: 'evt_1', timestamp: 1.5 },
      /sign: timestamp must be unix time in whole seconds/,
    ],
    [
      'a parsed body',
      { scheme: 'body', secret: 's1', body: { id: 'evt_1' } },
      /sign: body must be the exact bytes sent/,
    ],
    [
      'an empty nonce',
      { scheme: 'timestamp-nonce', secret: 's1', body, timestamp: 1, nonce: '' },
      /sign: nonce is empty/,
    ],
  ])('refuses %s', (_case, input, message) => {
    expect(signLoosely(input)).toThrow(TypeError);
    expect(signLoosely(input)).toThrow(message);
  });
});
