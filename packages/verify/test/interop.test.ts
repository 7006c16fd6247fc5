// Interop: our sign() verified by the standardwebhooks and svix packages, and their signatures verified by our verify().
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { sign, verify, WebhookVerificationError } from '../src/index.js';
import { STANDARD_VECTOR } from './support/standard-vector.js';

const secret = 'whsec_' + randomBytes(32).toString('base64');
// Whitespace, key order and non-ASCII: any re-serialisation would change these bytes.
const body = '{ "type": "message.created",  "id": "evt_9", "data": {"text": "héllo ✓", "z": 1, "a": 2} }';
const nowSeconds = () => Math.floor(Date.now() / 1000);

const verifiers = [
  ['standardwebhooks', (key: string) => new StandardWebhook(key)],
  ['svix@1.99.1', (key: string) => new SvixWebhook(key)],
] as const;

describe.each(verifiers)('%s', (_name, make) => {
  it('verifies a delivery signed by our sign(), and refuses it tampered or under another secret', () => {
    const headers = sign({ scheme: 'standard', secrets: [secret], body, id: 'evt_9', timestamp: nowSeconds() });
    expect(make(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => make(secret).verify(body.replace('héllo', 'hello'), headers)).toThrow();
    expect(() => make('whsec_' + randomBytes(32).toString('base64')).verify(body, headers)).toThrow();
  });

  it('verifies our rotation signatures with either secret', () => {
    const older = 'whsec_' + randomBytes(32).toString('base64');
    const headers = sign({ scheme: 'standard', secrets: [secret, older], body, id: 'evt_9', timestamp: nowSeconds() });
    expect(make(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(make(older).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs what our verify() accepts, and our verify() refuses it tampered', () => {
    const at = new Date();
    const signature = make(secret).sign('msg_interop_1', at, body);
    const headers = {
      'webhook-id': 'msg_interop_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(verify(body, headers, secret)).toEqual(JSON.parse(body));
    expect(verify(Buffer.from(body), new Headers(headers), secret)).toEqual(JSON.parse(body));
    expect(() => verify(body.replace('"z": 1', '"z": 2'), headers, secret)).toThrow(WebhookVerificationError);
  });

  it('agrees with us on the known-answer vector', () => {
    const vector = STANDARD_VECTOR;
    const theirs = make(vector.secret).sign(vector.id, new Date(vector.timestamp * 1000), vector.body);
    const ours = sign({
      scheme: 'standard',
      secrets: [vector.secret],
      body: vector.body,
      id: vector.id,
      timestamp: vector.timestamp,
    })['webhook-signature'];
    expect(theirs).toBe(vector.signature);
    expect(ours).toBe(theirs);
  });
});

describe('svix headers', () => {
  it('svix verifies our delivery under its own svix-* header names too', () => {
    const headers = sign({ scheme: 'standard', secrets: [secret], body, id: 'evt_9', timestamp: nowSeconds() });
    const svixHeaders = {
      'svix-id': headers['webhook-id']!,
      'svix-timestamp': headers['webhook-timestamp']!,
      'svix-signature': headers['webhook-signature']!,
    };
    expect(new SvixWebhook(secret).verify(body, svixHeaders)).toEqual(JSON.parse(body));
  });
});
