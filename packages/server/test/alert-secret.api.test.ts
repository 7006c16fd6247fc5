// The workspace's alert secret through the API: shown once (on the change that first sets an alertUrl, and on
// rotation), never read back, encrypted at rest, and bad requests answered with a 4xx.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretCipher, encryptionKeyId } from '../src/domain/secret-encryption.js';
import { issueApiKey } from '../src/services/api-keys.js';
import { reencryptAlertSecrets } from '../src/services/encryption-rotation.js';
import { missingEncryptionKeys } from '../src/services/stored-key-check.js';
import { T0 } from '../src/store/conformance/fixtures.js';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { expectFieldError } from './support/field-errors.js';
import { closeAllReceivers, startReceiver } from './support/receiver.js';
import { appsOfTest, expectError, type TestApp } from './support/test-app.js';

const apps = appsOfTest();
afterEach(async () => {
  await apps.closeAll();
  await closeAllReceivers();
});

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

async function readBack(t: TestApp, id: string): Promise<any[]> {
  const one = await t.call('GET', `/api/v1/workspaces/${id}`);
  const all = await t.call('GET', '/api/v1/workspaces?limit=100');
  return [one.body, ...all.body.data];
}

describe('the alert secret', () => {
  it('is shown once, by the create or change that first sets an alertUrl, and never read back', async () => {
    const t = await apps.start();
    const created = await t.call('POST', '/api/v1/workspaces', {
      body: { name: 'acme', alertUrl: 'https://alerts.acme.example/hookd' },
    });
    expect(created.status).toBe(201);
    expect(created.body.alertSecret).toMatch(SECRET);
    const changedUrl = await t.call('PATCH', `/api/v1/workspaces/${created.body.id}`, {
      body: { alertUrl: 'https://alerts.acme.example/other' },
    });
    expect(changedUrl.body).not.toHaveProperty('alertSecret');
    for (const shown of await readBack(t, created.body.id)) expect(shown).not.toHaveProperty('alertSecret');

    const plain = await t.call('POST', '/api/v1/workspaces', { body: { name: 'plain', alertEmail: 'a@b.example' } });
    expect(plain.body).not.toHaveProperty('alertSecret');
    const first = await t.call('PATCH', `/api/v1/workspaces/${plain.body.id}`, {
      body: { alertUrl: 'https://alerts.plain.example' },
    });
    expect(first.body.alertSecret).toMatch(SECRET);
    expect(first.body.alertSecret).not.toBe(created.body.alertSecret);
  });

  it('rotates: a new secret each time, for admins only, 404 for a workspace that does not exist', async () => {
    const t = await apps.start();
    const path = `/api/v1/workspaces/${t.workspaceId}/alert-secret`;
    const one = await t.call('POST', path);
    const two = await t.call('POST', path, { body: {} });
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(Object.keys(one.body)).toEqual(['alertSecret']);
    expect(one.body.alertSecret).toMatch(SECRET);
    expect(two.body.alertSecret).not.toBe(one.body.alertSecret);
    expect(await readBack(t, t.workspaceId)).not.toContainEqual(
      expect.objectContaining({ alertSecret: expect.anything() }),
    );

    expect(expectError(await t.call('POST', '/api/v1/workspaces/ws_nope/alert-secret'), 404).code).toBe(
      'HOOKD_ERR_WORKSPACE_NOT_FOUND',
    );
    expect(expectError(await t.call('POST', path, { body: { secret: 'mine' } }), 400).code).toBe(
      'HOOKD_ERR_VALIDATION',
    );
    const { key } = await issueApiKey({ store: t.store, clock: () => T0 }, { workspaceId: t.workspaceId });
    expectError(await t.call('POST', path, { key }), 403);
    expectFieldError(
      await t.call('PATCH', `/api/v1/workspaces/${t.workspaceId}`, { body: { alertUrl: 'ftp://x.example' } }),
      'alertUrl',
    );
  });

  it('is stored encrypted when an encryption key is set', async () => {
    const t = await apps.start({ encryptionKey: randomBytes(32) });
    const alerts = await startReceiver({ then: 'hang' });
    const changed = await t.call('PATCH', `/api/v1/workspaces/${t.workspaceId}`, { body: { alertUrl: alerts.url } });
    const secret: string = changed.body.alertSecret;
    const receiver = await startReceiver({ then: { status: 500 } });
    const hook = await createWebhook(t, { url: receiver.url, retry: { schedule: [] } });
    await publish(t, { type: 'order.created' });
    await settledDeliveries(t, hook.id, 1);
    await alerts.nth(1);
    // The stored form, as the sender claims it (this alert's lease ran out long before this clock's now).
    const [claimed] = await t.store.claimDueAlerts({
      now: new Date(Date.now() + 86_400_000),
      leaseMs: 1,
      limit: 1,
      leaseToken: 'test',
    });
    expect(claimed!.alertSecret).toMatch(/^enc:v1:/);
    expect(claimed!.alertSecret).not.toContain(secret.slice('whsec_'.length, 20));
  });

  it('is re-encrypted by a key rotation, and a missing key for it is found at start', async () => {
    const [keyA, keyB] = [randomBytes(32), randomBytes(32)];
    const t = await apps.start({ encryptionKey: keyA });
    await t.call('PATCH', `/api/v1/workspaces/${t.workspaceId}`, { body: { alertUrl: 'https://alerts.example' } });
    expect(await missingEncryptionKeys(t.store, new SecretCipher(keyB))).toEqual(new Map([[encryptionKeyId(keyA), 1]]));
    const rotated = await reencryptAlertSecrets(t.store, new SecretCipher(keyB, [keyA]));
    expect(rotated).toEqual({ workspaces: 1, reencrypted: 1, changedMeanwhile: 0 });
    expect(await missingEncryptionKeys(t.store, new SecretCipher(keyB))).toEqual(new Map());
    expect((await reencryptAlertSecrets(t.store, new SecretCipher(keyB))).reencrypted).toBe(0);
  });
});
