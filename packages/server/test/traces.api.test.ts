// Traces to a real OTLP/HTTP collector (a node:http listener on 127.0.0.1), on both engines: a span per publish and
// per delivery attempt, all in the event's trace, with ids and outcomes only; and a collector that is down or hangs
// never keeps a delivery from completing.
import { afterEach, describe, expect, it } from 'vitest';
import { eventTraceIds } from '../src/runtime/trace-ids.js';
import { otelSdkLoaded } from '../src/runtime/tracing.js';
import { attemptsOf, createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startOtlpListener, type OtlpListener, type ReceivedSpan } from './support/otlp-listener.js';
import { closedPort, startReceiver, type Receiver } from './support/receiver.js';
import { appsOfTest } from './support/test-app.js';

const apps = appsOfTest();
const listeners: Array<Receiver | OtlpListener> = [];
afterEach(async () => {
  // The apps first: their stop sends the last spans while the collector still listens.
  await apps.closeAll();
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

// OTLP's SpanKind numbers.
const PRODUCER = 4;
const CLIENT = 3;
const CUSTOM_HEADER_VALUE = 'Bearer custom-header-value-never-traced';
const DATA_MARKER = 'card-number-never-traced';

function byAttemptNumber(spans: ReceivedSpan[]): ReceivedSpan[] {
  return [...spans].sort(
    (a, b) => Number(a.attributes['hookd.attempt.number']) - Number(b.attributes['hookd.attempt.number']),
  );
}

describe('traces (HOOKD_OTEL_ENDPOINT)', () => {
  it('sends one publish span and a span per attempt, all in the trace of the event, with ids and outcomes only', async () => {
    const collector = await startOtlpListener();
    const receiver = await startReceiver({ replies: [{ status: 503 }], then: { status: 200 } });
    listeners.push(collector, receiver);
    const t = await apps.start({ otelEndpoint: collector.endpoint });
    expect(otelSdkLoaded()).toBe(true);
    const flaky = await createWebhook(t, {
      url: receiver.url,
      events: ['order.*'],
      retry: { schedule: ['1s'], retryOn4xx: false },
      headers: { Authorization: CUSTOM_HEADER_VALUE },
    });
    const deadUrl = `http://127.0.0.1:${await closedPort()}/hook`;
    const dead = await createWebhook(t, {
      url: deadUrl,
      events: ['order.*'],
      retry: { schedule: [], retryOn4xx: false },
    });
    await publish(t, { id: 'evt_traced', type: 'order.paid', data: { card: DATA_MARKER } });
    const [delivery] = await settledDeliveries(t, flaky.id, 1);
    const [deadDelivery] = await settledDeliveries(t, dead.id, 1);

    const [published, ...more] = await collector.named('hookd.publish', 1);
    expect(more).toEqual([]);
    expect(published!).toMatchObject({ kind: PRODUCER, parentSpanId: '' });
    expect(published!.attributes).toEqual({
      'hookd.workspace.id': t.workspaceId,
      'hookd.event.id': 'evt_traced',
      'hookd.event.type': 'order.paid',
      'hookd.event.deliveries': 2,
    });
    expect(published!.resource).toMatchObject({ 'service.name': 'hookd', 'telemetry.sdk.language': 'nodejs' });
    expect(published!.resource['service.version']).toEqual(expect.any(String));

    const attempts = await collector.named('hookd.delivery.attempt', 3);
    for (const span of attempts)
      expect(span).toMatchObject({ kind: CLIENT, traceId: published!.traceId, parentSpanId: published!.spanId });
    const [failed, succeeded] = byAttemptNumber(attempts.filter((s) => s.attributes['hookd.webhook.id'] === flaky.id));
    const stored = await attemptsOf(t, delivery.id);
    const common = {
      'hookd.workspace.id': t.workspaceId,
      'hookd.event.id': 'evt_traced',
      'hookd.delivery.kind': 'event',
    };
    expect(failed!.attributes).toEqual({
      ...common,
      'hookd.delivery.id': delivery.id,
      'hookd.webhook.id': flaky.id,
      'hookd.attempt.number': 1,
      'hookd.attempt.duration_ms': stored.find((a: any) => a.responseStatus === 503).durationMs,
      'hookd.delivery.status': 'pending',
      'http.response.status_code': 503,
      'error.type': '503',
    });
    expect(failed!.status).toMatchObject({ code: 2 });
    expect(failed!.endMs - failed!.startMs).toBe(failed!.attributes['hookd.attempt.duration_ms']);
    expect(succeeded!.attributes).toMatchObject({
      'hookd.attempt.number': 2,
      'hookd.delivery.status': 'success',
      'http.response.status_code': 200,
    });
    expect(succeeded!.attributes['error.type']).toBeUndefined();
    const [refused] = attempts.filter((s) => s.attributes['hookd.webhook.id'] === dead.id);
    expect(refused!.attributes).toMatchObject({
      'hookd.delivery.id': deadDelivery.id,
      'hookd.attempt.number': 1,
      'hookd.delivery.status': 'failed',
      'error.type': 'connection_refused',
    });
    expect(refused!.attributes['http.response.status_code']).toBeUndefined();

    // Nothing a tenant keeps private: no header value, no body, no secret, no receiver URL.
    const sent = collector.receiver.requests.map((request) => request.body).join('\n');
    for (const secret of [CUSTOM_HEADER_VALUE, DATA_MARKER, flaky.secret, receiver.url, deadUrl])
      expect(sent).not.toContain(secret);
  });

  it("joins an attempt made by another process to the publish's trace, with nothing passed between them", async () => {
    const collector = await startOtlpListener();
    const receiver = await startReceiver();
    listeners.push(collector, receiver);
    const api = await apps.start({ otelEndpoint: collector.endpoint, worker: false });
    const worker = await apps.start({ otelEndpoint: collector.endpoint, database: api.database });
    const webhook = await createWebhook(api, { url: receiver.url, events: ['*'] });
    await publish(api, { id: 'evt_elsewhere', type: 'order.paid' });
    await settledDeliveries(api, webhook.id, 1);

    const [published] = await collector.named('hookd.publish', 1);
    const [attempt] = await collector.named('hookd.delivery.attempt', 1);
    expect(attempt).toMatchObject({ traceId: published!.traceId, parentSpanId: published!.spanId });
    expect(attempt!.attributes['hookd.event.id']).toBe('evt_elsewhere');
    expect(attempt!.resource['service.instance.id']).not.toBe(published!.resource['service.instance.id']);
    expect(worker.workspaceId).toBe(api.workspaceId);
  });

  it('makes the attempt of a "Send test" the root of its own trace (its event is never published)', async () => {
    const collector = await startOtlpListener();
    const receiver = await startReceiver();
    listeners.push(collector, receiver);
    const t = await apps.start({ otelEndpoint: collector.endpoint });
    const webhook = await createWebhook(t, { url: receiver.url, events: ['*'] });
    const tested = await t.call('POST', `/api/v1/webhooks/${webhook.id}/test`);
    expect(tested.status).toBe(200);

    const [attempt] = await collector.named('hookd.delivery.attempt', 1);
    expect(attempt).toMatchObject({
      parentSpanId: '',
      traceId: eventTraceIds(t.workspaceId, tested.body.delivery.eventId).traceId,
    });
    expect(attempt!.attributes).toMatchObject({ 'hookd.delivery.kind': 'test', 'http.response.status_code': 200 });
  });

  it('traces a share of events (HOOKD_OTEL_SAMPLE_RATIO), each with its publish and every attempt or not at all', async () => {
    const collector = await startOtlpListener();
    const receiver = await startReceiver();
    listeners.push(collector, receiver);
    const t = await apps.start({ otelEndpoint: collector.endpoint, otelSampleRatio: 0.5 });
    const webhook = await createWebhook(t, { url: receiver.url, events: ['*'] });
    // Which events a ratio of 0.5 keeps follows from their trace ids: those whose first 32 bits are below 2^31.
    const kept = (id: string) => Number.parseInt(eventTraceIds(t.workspaceId, id).traceId[0]!, 16) < 8;
    const ids = Array.from({ length: 40 }, (_, n) => `evt_sampled_${n}`);
    for (const id of ids) await publish(t, { id, type: 'order.paid' });
    await settledDeliveries(t, webhook.id, ids.length);
    // One more event the ratio keeps, published after the others settled: once its spans came, theirs would have.
    const last = Array.from({ length: 100 }, (_, n) => `evt_last_${n}`).find(kept)!;
    await publish(t, { id: last, type: 'order.paid' });
    await settledDeliveries(t, webhook.id, ids.length + 1);
    const expected = [...ids.filter(kept), last].sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(ids.length + 1);

    const eventsOf = (spans: ReceivedSpan[]) => spans.map((span) => String(span.attributes['hookd.event.id'])).sort();
    expect(eventsOf(await collector.named('hookd.publish', expected.length))).toEqual(expected);
    expect(eventsOf(await collector.named('hookd.delivery.attempt', expected.length))).toEqual(expected);
  });

  it.each([
    ['down', undefined],
    ['hanging', 'hang' as const],
  ])('delivers everything while the collector is %s', async (_state, reply) => {
    const endpoint = reply
      ? await startOtlpListener(reply).then((collector) => (listeners.push(collector), collector.endpoint))
      : `http://127.0.0.1:${await closedPort()}`;
    const receiver = await startReceiver();
    listeners.push(receiver);
    const t = await apps.start({ otelEndpoint: endpoint });
    const webhook = await createWebhook(t, { url: receiver.url, events: ['*'] });
    for (let n = 0; n < 30; n++) await publish(t, { type: 'order.paid' });
    const deliveries = await settledDeliveries(t, webhook.id, 30);
    expect(deliveries.every((one) => one.status === 'success')).toBe(true);
  });
});
