// The encrypting store layer on a real SQLite file: what reaches the rows, and reads of a webhook whose key is gone.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptionKeyId, SecretCipher } from '../domain/secret-encryption.js';
import { WebhookSecrets } from '../domain/webhook-secrets.js';
import { claim, publishTo, seed } from './conformance/fixtures.js';
import { withEncryptedSecrets } from './encrypted-secrets.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';
import { tempDir } from '../../test/support/temp-dir.js';

let dir: string;
let file: string;
const opened: Store[] = [];
beforeEach(async () => {
  dir = tempDir('hookd-encrypted-');
  file = join(dir, 'hookd.db');
  await open(new SecretCipher(undefined)).migrate();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

function open(cipher: SecretCipher): Store {
  const store = withEncryptedSecrets(openSqliteStore(file), new WebhookSecrets(cipher));
  opened.push(store);
  return store;
}

describe('withEncryptedSecrets', () => {
  it('writes the secrets and header values encrypted, and a change too, and reads them back', async () => {
    const secrets = new WebhookSecrets(new SecretCipher(randomBytes(32)));
    const store = withEncryptedSecrets(openSqliteStore(file), secrets);
    opened.push(store);
    const {
      workspaceId,
      webhooks: [hook],
    } = await seed(store, { headers: { Authorization: 'Bearer t0ken' }, previousSecret: 'prev-secret-1' });
    await store.updateWebhook(workspaceId, hook!.id, {
      headers: { Authorization: 'Bearer t0ken-2' },
      updatedAt: hook!.updatedAt,
    });
    const database = new Database(file, { readonly: true });
    const raw = JSON.stringify(database.prepare('SELECT * FROM webhooks').all());
    database.close();
    for (const clear of [hook!.secret!, 'prev-secret-1', 't0ken']) expect(raw).not.toContain(clear);
    expect(secrets.open((await store.getWebhook(workspaceId, hook!.id))!)).toMatchObject({
      secret: hook!.secret,
      previousSecret: 'prev-secret-1',
      headers: { Authorization: 'Bearer t0ken-2' },
    });
  });

  it('hands out claims and subscribed webhooks as stored, so one whose key is gone matches and is claimed; only opening it names its key id', async () => {
    const oldKey = randomBytes(32);
    const {
      workspaceId,
      webhooks: [lost],
    } = await seed(open(new SecretCipher(oldKey)), {});
    const store = open(new SecretCipher(randomBytes(32)));
    const lostDeliveries = await publishTo(store, workspaceId, lost!.id, 2);

    expect((await store.listSubscribedWebhooks(workspaceId)).map((hook) => hook.id)).toEqual([lost!.id]);
    expect((await store.listWebhooks(workspaceId, { limit: 10 })).data.map((hook) => hook.id)).toEqual([lost!.id]);
    const claims = await claim(store);
    expect(claims.map((claimed) => claimed.id)).toEqual(lostDeliveries);
    expect(claims[0]!.webhook.secret).toMatch(new RegExp(`^enc:v1:${encryptionKeyId(oldKey)}:`));
    const stored = (await store.getWebhook(workspaceId, lost!.id))!;
    expect(() => new WebhookSecrets(new SecretCipher(randomBytes(32))).open(stored)).toThrow(encryptionKeyId(oldKey));
  });
});
