// The encrypting store layer on a real SQLite file: what reaches the rows, and claims of a webhook whose key is gone.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptionKeyId, SecretCipher, type SecretUnreadable } from '../domain/secret-encryption.js';
import { claim, publishTo, seed } from './conformance/fixtures.js';
import { withEncryptedSecrets } from './encrypted-secrets.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

let dir: string;
let file: string;
const opened: Store[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hookd-encrypted-'));
  file = join(dir, 'hookd.db');
  await open(new SecretCipher(undefined)).migrate();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  rmSync(dir, { recursive: true, force: true });
});

function open(cipher: SecretCipher, withheld: { webhookId: string; deliveryIds: string[]; error: SecretUnreadable }[] = []): Store {
  const store = withEncryptedSecrets(openSqliteStore(file), cipher, (webhookId, deliveryIds, error) => withheld.push({ webhookId, deliveryIds, error }));
  opened.push(store);
  return store;
}

describe('withEncryptedSecrets', () => {
  it('writes the secrets and header values encrypted, and a change too, and reads them back', async () => {
    const store = open(new SecretCipher(randomBytes(32)));
    const { workspaceId, webhooks: [hook] } = await seed(store, { headers: { Authorization: 'Bearer t0ken' }, previousSecret: 'prev-secret-1' });
    await store.updateWebhook(workspaceId, hook!.id, { headers: { Authorization: 'Bearer t0ken-2' }, updatedAt: hook!.updatedAt });
    const database = new Database(file, { readonly: true });
    const raw = JSON.stringify(database.prepare('SELECT * FROM webhooks').all());
    database.close();
    for (const clear of [hook!.secret!, 'prev-secret-1', 't0ken']) expect(raw).not.toContain(clear);
    expect(await store.getWebhook(workspaceId, hook!.id)).toMatchObject({ secret: hook!.secret, previousSecret: 'prev-secret-1', headers: { Authorization: 'Bearer t0ken-2' } });
  });

  it('withholds the claims of a webhook whose key is not given, naming its key id, and hands out the others', async () => {
    const oldKey = randomBytes(32);
    const { workspaceId, webhooks: [lost] } = await seed(open(new SecretCipher(oldKey)), {});
    const withheld: { webhookId: string; deliveryIds: string[]; error: SecretUnreadable }[] = [];
    const store = open(new SecretCipher(randomBytes(32)), withheld);
    const { webhooks: [kept] } = await seed(store, {});
    const lostDeliveries = await publishTo(store, workspaceId, lost!.id, 2);
    const keptDeliveries = await publishTo(store, kept!.workspaceId, kept!.id, 1);

    const claims = await claim(store);
    expect(claims.map((claimed) => claimed.id)).toEqual(keptDeliveries);
    expect(claims[0]!.webhook.secret).toBe(kept!.secret);
    expect(withheld).toHaveLength(1);
    expect(withheld[0]).toMatchObject({ webhookId: lost!.id, deliveryIds: lostDeliveries, error: { keyId: encryptionKeyId(oldKey) } });
    expect(withheld[0]!.error.message).toContain(encryptionKeyId(oldKey));
    // Held under their lease, not sent and not handed back: the next claim finds nothing.
    expect(await claim(store)).toEqual([]);
    await expect(store.getWebhook(workspaceId, lost!.id)).rejects.toThrow(encryptionKeyId(oldKey));
  });
});
