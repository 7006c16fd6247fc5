// A webhook hookd cannot sign for (its secret under a key this process lacks, or a signing scheme with no secret
// stored): its own deliveries fail an attempt each, recorded and retried on its schedule; the rest of its workspace
// publishes, lists and delivers as usual. A real receiver on 127.0.0.1, both engines.
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { appsClosedAfterEach } from './support/app-per-test.js';
import { encryptionKeyId } from '../src/domain/secret-encryption.js';
import { attemptsOf, createWebhook, deliveriesOf, publish } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { expectError, type TestApp } from './support/test-app.js';

const app = appsClosedAfterEach();
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});

/** A retry an hour away: the delivery stays pending, waiting for it, while the test looks. */
const LATER = { schedule: ['1h'] };

/** The webhook's one delivery once its first attempt is recorded, and that attempt. */
async function firstAttempt(t: TestApp, webhookId: string): Promise<{ delivery: any; attempt: any }> {
  return eventually(async () => {
    const [delivery] = await deliveriesOf(t, webhookId);
    expect(delivery?.attempts).toBe(1);
    const [attempt] = await attemptsOf(t, delivery.id);
    return { delivery, attempt };
  }, 10_000);
}

describe('a webhook whose secrets cannot be decrypted', () => {
  it('fails its own deliveries with a recorded attempt naming the key id, retried later; its workspace publishes, reads and delivers; a change answers 503', async () => {
    // Written by another process on the same database, under a key this one lacks, after this one started (its
    // start-up check found nothing it could not read then).
    const t = await app({ encryptionKey: randomBytes(32) });
    const oldKey = randomBytes(32);
    const other = await app({ encryptionKey: oldKey, database: t.database, bootstrapKey: t.adminKey, worker: false });
    const lost = await createWebhook(other, {
      url: receiver.url,
      retry: LATER,
      headers: { Authorization: 'Bearer t0ken-lost' },
    });
    await other.stop();
    // Created here after `lost`, it drops this process's cached list of the workspace's webhooks: the publish below
    // matches both.
    const kept = await createWebhook(t, { url: receiver.url });

    await publish(t, { type: 'order.paid' });
    const sent = await receiver.nth(1, 10_000);
    expect(sent.headers['x-webhook-id']).toBe(kept.id);
    const { delivery, attempt } = await firstAttempt(t, lost.id);
    expect(delivery).toMatchObject({ status: 'pending', responseStatus: null });
    expect(Date.parse(delivery.nextAttemptAt)).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(attempt.error).toContain(
      `not sent: the webhook's secrets cannot be decrypted (key id ${encryptionKeyId(oldKey)}`,
    );
    expect(receiver.requests.map((request) => request.headers['x-webhook-id'])).toEqual([kept.id]);

    const listed = await t.call('GET', '/api/v1/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.body.data.find((hook: any) => hook.id === lost.id)).toMatchObject({
      headers: { Authorization: '[redacted]' },
    });
    const read = await t.call('GET', `/api/v1/webhooks/${lost.id}`);
    expect(read.status).toBe(200);
    expect(read.body.headers).toEqual({ Authorization: '[redacted]' });
    // "Send test" is one attempt, failed and recorded: the delivery is not left leased.
    const tested = await t.call('POST', `/api/v1/webhooks/${lost.id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body.delivery).toMatchObject({ event: 'webhook.test', status: 'failed', attempts: 1 });
    expect(tested.body.attempt.error).toContain(`key id ${encryptionKeyId(oldKey)}`);
    expect(receiver.requests).toHaveLength(1);
    // A change needs the stored values (a header sent back masked keeps its own): the server cannot make it now.
    const changed = expectError(
      await t.call('PATCH', `/api/v1/webhooks/${lost.id}`, { body: { description: 'moved' } }),
      503,
    );
    expect(changed.code).toBe('HOOKD_ERR_UNAVAILABLE');
    expect(changed.message).not.toMatch(/enc:|t0ken/);
  });
});

describe('a webhook that signs with no secret stored', () => {
  it('fails its deliveries with a recorded attempt, retried later, and sends nothing unsigned', async () => {
    const t = await app({});
    const hook = await createWebhook(t, { url: receiver.url, retry: LATER });
    // As an older hookd could leave it: a signing scheme and no secret, written past the API.
    await t.store.updateWebhook(t.workspaceId, hook.id, { secret: null, updatedAt: new Date() });

    await publish(t, { type: 'order.paid' });
    const { delivery, attempt } = await firstAttempt(t, hook.id);
    expect(delivery).toMatchObject({ status: 'pending', responseStatus: null });
    expect(Date.parse(delivery.nextAttemptAt)).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(attempt.error).toMatch(/^not sent: preparing the request failed \(sign: /);
    expect(receiver.requests).toEqual([]);
  });
});
