// The seed pages' receivers accept deliveries made with @hookd/verify's sign() directly (no server in between).
import { sign } from '@hookd/verify';
import { afterEach, describe, expect, it } from 'vitest';
import { httpCall } from './support/http-call.js';
import { startListenerReceiver, startReceiver, type Receiver } from './support/receiver.js';
import { asWebRoute, platosApp, platphormRoute, verifyWebhook } from './support/seed-snippets.js';

const body = '{ "id": "evt_1", "event": "conversation.created",  "data": {"amount": 1200, "note": "ü"} }';
const tampered = body.replace('1200', '9200');
const receivers: Receiver[] = [];
const savedSecret = process.env.WEBHOOK_SECRET;

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  if (savedSecret === undefined) delete process.env.WEBHOOK_SECRET;
  else process.env.WEBHOOK_SECRET = savedSecret;
});

/** The status a receiver answers to `payload` POSTed byte for byte with `headers`. */
async function post(url: string, payload: string, headers: Record<string, string>): Promise<number> {
  return (await httpCall(url, { payload, headers })).status;
}

const now = () => Math.floor(Date.now() / 1000);

describe('seed receivers and sign()', () => {
  it('seed 000 (Platos, Express): 200 for a timestamp-nonce delivery under X-Platos-, 401 when tampered', async () => {
    process.env.WEBHOOK_SECRET = 'platos-secret-from-the-dashboard';
    const events: unknown[] = [];
    const platos = await startListenerReceiver(platosApp((event) => events.push(event)));
    receivers.push(platos);
    const headers = sign({
      scheme: 'timestamp-nonce',
      headerPrefix: 'X-Platos-',
      secrets: [process.env.WEBHOOK_SECRET],
      body,
      id: 'evt_1',
      timestamp: now(),
    });
    expect(await post(`${platos.origin}/webhooks/platos`, body, headers)).toBe(200);
    expect(await post(`${platos.origin}/webhooks/platos`, tampered, headers)).toBe(401);
    expect(events).toEqual([JSON.parse(body)]);
  });

  it('seed 001 (Platica): verifyWebhook accepts X-Webhook-Signature from sign(), not for a tampered body', () => {
    const headers = sign({ scheme: 'body', secrets: ['platica-secret'], body, id: 'evt_1', timestamp: now() });
    expect(verifyWebhook('platica-secret', body, headers['X-Webhook-Signature']!)).toBe(true);
    expect(verifyWebhook('platica-secret', tampered, headers['X-Webhook-Signature']!)).toBe(false);
  });

  it('seed 004 (Platphorm, fetch-style route): 200 for X-Platphorm-Signature from sign(), 401 when tampered', async () => {
    process.env.WEBHOOK_SECRET = 'your-webhook-secret';
    const events: unknown[] = [];
    let url = '';
    const platphorm = await startReceiver((raw) =>
      asWebRoute(
        url,
        platphormRoute((event) => events.push(event)),
      )(raw),
    );
    receivers.push(platphorm);
    url = platphorm.origin;
    const headers = sign({
      scheme: 'body',
      headerPrefix: 'X-Platphorm-',
      secrets: ['your-webhook-secret'],
      body,
      id: 'evt_1',
      timestamp: now(),
    });
    expect(await post(`${url}/api/webhooks`, body, headers)).toBe(200);
    expect(await post(`${url}/api/webhooks`, tampered, headers)).toBe(401);
    expect(events).toEqual([JSON.parse(body)]);
  });
});
