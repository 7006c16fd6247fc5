// Isolation from slow DNS (issue #15): webhooks whose host names never resolve must not hold up deliveries to healthy
// webhooks, whether those are reached by a name DNS answers, by "localhost" or by an address. hookd asks a real DNS
// server on 127.0.0.1 that never answers for some names. Not timed: the test asserts an order of events, every healthy
// delivery logged a success while no lookup of a name that hangs had yet timed out, as test/isolation.test.ts does.
import { afterEach, expect, it } from 'vitest';
import { attemptsOf, createWebhook, deliveriesOf, publish } from './support/delivery-api.js';
import { startDnsServer, type DnsServer } from './support/dns-server.js';
import { eventually } from './support/eventually.js';
import { closeAllReceivers, startReceiver, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const HANGING_WEBHOOKS = 8;
const NAMED_HEALTHY_WEBHOOKS = 6;
const EVENTS = 25;
// Long enough that the healthy deliveries (200, to receivers on this machine: under 2 s on 2 idle cores) cannot be
// outlasted by it, however loaded the machine; a resolver that made them wait behind the hanging names would take at
// least this long and fail the order the test asserts.
const DNS_TIMEOUT_S = 20;

let app: TestApp | undefined;
let dns: DnsServer | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await closeAllReceivers();
  await dns?.close();
  dns = undefined;
});

it(
  `delivers every event to healthy webhooks while ${HANGING_WEBHOOKS} webhooks' names never resolve, and logs a DNS timeout for those`,
  async () => {
    dns = await startDnsServer((name) =>
      name.startsWith('hang-') ? 'hang' : name.startsWith('ok-') ? { addresses: ['127.0.0.1'], ttl: 60 } : 'nxdomain',
    );
    app = await startTestApp({ engine: { dnsServers: [dns.address], dnsTimeoutMs: DNS_TIMEOUT_S * 1_000 } });
    const t = app;

    const healthy: { id: string; receiver: Receiver }[] = [];
    for (let i = 0; i < NAMED_HEALTHY_WEBHOOKS + 2; i++) {
      const r = await startReceiver();
      // Names DNS answers, "localhost" (never asked of DNS) and an address (no lookup at all).
      const host =
        i < NAMED_HEALTHY_WEBHOOKS ? `ok-${i}.hookd.test` : i === NAMED_HEALTHY_WEBHOOKS ? 'localhost' : '127.0.0.1';
      const webhook = await createWebhook(t, { url: `http://${host}:${r.port}/hook`, events: ['order.*'] });
      healthy.push({ id: webhook.id, receiver: r });
    }
    const hanging: { id: string; host: string }[] = [];
    for (let i = 0; i < HANGING_WEBHOOKS; i++) {
      const host = `hang-${i}.hookd.test`;
      const webhook = await createWebhook(t, {
        url: `http://${host}:${healthy[0]!.receiver.port}/hook`,
        events: ['order.*'],
        retry: { schedule: ['1s'] },
      });
      hanging.push({ id: webhook.id, host });
    }

    for (let i = 0; i < EVENTS; i++) await publish(t, { type: 'order.created', data: { i } });

    // Every healthy webhook gets every event once, and logs each delivery a success.
    await eventually(
      () => expect(healthy.map(({ receiver: r }) => r.requests.length)).toEqual(healthy.map(() => EVENTS)),
      30_000,
    );
    for (const { id, receiver: r } of healthy) {
      expect(new Set(r.requests.map((request) => request.json.data.i)).size).toBe(EVENTS);
      await eventually(async () => expect((await deliveriesOf(t, id, '&status=success')).length).toBe(EVENTS));
    }
    // All that happened while the hanging names were being looked up and none of those lookups had timed out: each was
    // asked, and no hanging delivery has an attempt recorded yet (a timeout records one).
    for (const { host } of hanging) expect(dns.questions).toContain(`${host} A`);
    for (const { id } of hanging) {
      const unfinished = await deliveriesOf(t, id);
      expect(unfinished).toHaveLength(EVENTS);
      expect(unfinished.filter((delivery) => delivery.status !== 'pending' || delivery.attempts !== 0)).toEqual([]);
    }

    // Each hanging webhook's deliveries fail with a DNS timeout, are retried once on the schedule, then end failed. (The
    // first lookup of a name times out; the failure is kept 3 s, so the deliveries behind it and the retries mostly fail
    // at once. A retry a busy machine claims later asks again: a few more timeouts, hence the long wait.)
    for (const { id, host } of hanging) {
      const failed = await eventually(
        async () => {
          const ended = await deliveriesOf(t, id, '&status=failed');
          expect(ended).toHaveLength(EVENTS);
          return ended;
        },
        4 * DNS_TIMEOUT_S * 1_000,
      );
      for (const delivery of failed) {
        expect(delivery).toMatchObject({
          attempts: 2,
          responseStatus: null,
          lastError: `DNS lookup of ${host} timed out after ${DNS_TIMEOUT_S} s; all 2 attempts failed`,
        });
      }
      const attempts: { error: string }[] = await attemptsOf(t, failed[0].id);
      expect(attempts).toHaveLength(2);
      for (const attempt of attempts)
        expect(attempt.error).toContain(`DNS lookup of ${host} timed out after ${DNS_TIMEOUT_S} s`);
    }
  },
  8 * DNS_TIMEOUT_S * 1_000,
);
