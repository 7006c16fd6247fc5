// A receiver whose TLS certificate cannot be trusted fails the attempt with a TLS error, never a silent success.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { afterEach, expect, it } from 'vitest';
import { attemptsOf, createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

let t: TestApp | undefined;
let server: Server | undefined;
let requests = 0;
afterEach(async () => {
  await t?.close();
  server?.closeAllConnections();
  server?.close();
});

it('records a TLS error for a self-signed certificate and sends no request', async () => {
  // A certificate for "localhost" that no CA signed: the handshake must fail certificate verification.
  server = createServer({ key: fixture('self-signed.key'), cert: fixture('self-signed.crt') }, (_request, response) => {
    requests++;
    response.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  t = await startTestApp();
  const webhook = await createWebhook(t, { url: `https://localhost:${port}/hook`, retry: { schedule: [] } });
  await publish(t, { type: 'order.created', data: {} });
  const [delivery] = await settledDeliveries(t, webhook.id, 1);
  expect(delivery.status).toBe('failed');
  const [attempt] = await attemptsOf(t, delivery.id);
  expect(attempt.responseStatus).toBeNull();
  expect(attempt.error).toMatch(/^TLS error: .*(self[- ]signed|certificate)/i);
  expect(requests).toBe(0);
});
