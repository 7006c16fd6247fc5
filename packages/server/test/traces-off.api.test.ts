// Traces off (no HOOKD_OTEL_ENDPOINT, the default): publishing and delivering load nothing of OpenTelemetry. A file
// of its own, so no other test of the same module graph has loaded it first.
import { afterEach, describe, expect, it } from 'vitest';
import { otelSdkLoaded } from '../src/runtime/tracing.js';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { appsOfTest } from './support/test-app.js';

const apps = appsOfTest();
const receivers: Receiver[] = [];
afterEach(async () => {
  await apps.closeAll();
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

describe('traces off', () => {
  it('publishes and delivers, with /metrics on, without loading the OpenTelemetry SDK', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const t = await apps.start({ metrics: {} });
    const webhook = await createWebhook(t, { url: receiver.url, events: ['*'] });
    await publish(t, { type: 'order.paid' });
    await settledDeliveries(t, webhook.id, 1);
    expect(otelSdkLoaded()).toBe(false);
  });
});
