// The receivers the seed pages (000, 001, 004) show, copied as they are, for tests that send them deliveries.
import * as crypto from 'node:crypto';
import { createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { headerMap, type ReceivedRequest } from './receiver.js';

// ---- Seed 000 (Platos): the Express receiver, as the page shows it. Only `handleEvent` is ours (it records the event).
export function platosApp(handleEvent: (event: any) => void) {
  const app = express();
  app.use(express.text({ type: '*/*' })); // raw body for signature verification
  app.post('/webhooks/platos', (req, res) => {
    const sig = req.headers['x-platos-signature'] as string;
    const ts = req.headers['x-platos-timestamp'] as string;
    const nonce = req.headers['x-platos-nonce'] as string;
    const body = req.body as string;
    const mac = createHmac('sha256', process.env.WEBHOOK_SECRET!).update(`${ts}.${nonce}.${body}`).digest('hex');
    if (!timingSafeEqual(Buffer.from(sig), Buffer.from(mac))) {
      return res.status(401).end();
    }
    if (Math.abs(Date.now() / 1000 - Number(ts)) > 60) {
      return res.status(401).end();
    }
    const event = JSON.parse(body);
    // Switch on event.event:
    // "conversation.created", "message.rated", "approval.requested", "safety.event", ...
    handleEvent(event);
    res.status(200).end();
  });
  return app;
}

// ---- Seed 001 (Platica): verifyWebhook, as the page shows it (types added for TypeScript).
export function verifyWebhook(secret: string, rawBody: string | Buffer, signatureHeader: string) {
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(rawBody).digest('hex');

  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signatureHeader));
}

// ---- Seed 004 (Platphorm): verifyWebhookSignature and the route handler, as the page shows them
// (the two `!` are the only change: strict TypeScript will not pass string | null / undefined as string).
export function verifyWebhookSignature(payload: string, signature: string, secret: string): boolean {
  const expectedSignature = crypto.createHmac('sha256', secret).update(payload).digest('hex');
  const signatureBuffer = Buffer.from(signature.replace('sha256=', ''), 'hex');
  const expectedBuffer = Buffer.from(expectedSignature, 'hex');
  return crypto.timingSafeEqual(signatureBuffer, expectedBuffer);
}

export function platphormRoute(processEvent: (event: any) => void) {
  return async function POST(request: Request) {
    const signature = request.headers.get('X-Platphorm-Signature');
    const payload = await request.text();
    if (!verifyWebhookSignature(payload, signature!, process.env.WEBHOOK_SECRET!)) {
      return new Response('Invalid signature', { status: 401 });
    }
    const event = JSON.parse(payload);
    // Process event...
    processEvent(event);
    return new Response('OK', { status: 200 });
  };
}

/** Runs a fetch-style route handler (Next.js app router) behind a node:http receiver. */
export function asWebRoute(url: string, handler: (request: Request) => Promise<Response>) {
  return async (raw: ReceivedRequest) => {
    const response = await handler(
      new Request(url + raw.url, {
        method: raw.method,
        headers: headerMap(raw.headers),
        body: new Uint8Array(raw.raw),
      }),
    );
    return { status: response.status, body: await response.text() };
  };
}
