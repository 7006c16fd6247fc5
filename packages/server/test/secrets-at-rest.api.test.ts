// Secrets at rest: with an encryption key, the database (read raw: the SQLite file, or PostgreSQL's rows) holds no
// webhook secret and no header value in clear, and deliveries still verify with the secret shown at create.
import { randomBytes } from 'node:crypto';
import { verify } from '@hookd/verify';
import Database from 'better-sqlite3';
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { appsClosedAfterEach } from './support/app-per-test.js';
import { encryptionKeyId } from '../src/domain/secret-encryption.js';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { testEngine } from './support/test-database.js';

const TOKEN = 'Bearer receiver-token-5e8d1a';

interface RawWebhookRow {
  id: string;
  secret: string | null;
  previous_secret: string | null;
  headers: string;
}

/** The webhooks table as stored, read past hookd. */
async function rawWebhookRows(database: string): Promise<RawWebhookRow[]> {
  const sql = 'SELECT id, secret, previous_secret, headers FROM webhooks';
  if (testEngine() === 'sqlite') {
    const file = new Database(database, { readonly: true });
    try {
      return file.prepare(sql).all() as RawWebhookRow[];
    } finally {
      file.close();
    }
  }
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    return (await client.query<RawWebhookRow>(sql)).rows;
  } finally {
    await client.end();
  }
}

const app = appsClosedAfterEach();
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});

describe('with an encryption key', () => {
  it('stores neither the secret, the previous secret nor a header value in clear, and deliveries verify', async () => {
    const key = randomBytes(32);
    const t = await app({ encryptionKey: key });
    const webhook = await createWebhook(t, { url: receiver.url, headers: { Authorization: TOKEN } });
    const rotated = await t.call('POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`);
    const secrets = [webhook.secret as string, rotated.body.secret as string];

    const [row] = await rawWebhookRows(t.database);
    const raw = JSON.stringify(row);
    for (const clear of [
      ...secrets,
      ...secrets.map((secret) => secret.slice('whsec_'.length)),
      TOKEN,
      'receiver-token',
    ])
      expect(raw).not.toContain(clear);
    const underKey = new RegExp(`^enc:v1:${encryptionKeyId(key)}:`);
    expect(row!.secret).toMatch(underKey);
    expect(row!.previous_secret).toMatch(underKey);
    expect((JSON.parse(row!.headers) as Record<string, string>).Authorization).toMatch(underKey);

    await publish(t, { type: 'order.paid' });
    await settledDeliveries(t, webhook.id, 1);
    const received = receiver.requests[0]!;
    expect(received.headers.authorization).toBe(TOKEN);
    // Both secrets sign during the rotation's overlap; each verifies on its own.
    for (const secret of secrets)
      expect(verify(received.body, received.headers, secret)).toMatchObject({ type: 'order.paid' });
  });

  it('reads and sends webhooks stored in clear before the key was set', async () => {
    const before = await app({ worker: false });
    const webhook = await createWebhook(before, { url: receiver.url, headers: { Authorization: TOKEN } });
    await before.stop();
    expect((await rawWebhookRows(before.database))[0]!.secret).toBe(webhook.secret);

    const t = await app({ database: before.database, encryptionKey: randomBytes(32) });
    await publish(t, { type: 'order.paid' });
    await settledDeliveries(t, webhook.id, 1);
    const received = receiver.requests[0]!;
    expect(received.headers.authorization).toBe(TOKEN);
    expect(verify(received.body, received.headers, webhook.secret as string)).toMatchObject({ type: 'order.paid' });
  });
});
