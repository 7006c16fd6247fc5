// Secrets at rest as an operator meets them: real `hookd serve` and `hookd encryption rotate` processes on a real
// SQLite file (and a PostgreSQL database), a real receiver on 127.0.0.1, the rows read raw.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { verify } from '@hookd/verify';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptionKeyId } from '../src/domain/secret-encryption.js';
import { eventually } from './support/eventually.js';
import {
  jsonLines,
  killAllHookd,
  runHookd,
  serve as serveHookd,
  stopCleanly,
  type Ran,
  type Served,
} from './support/hookd-process.js';
import { apiCall } from './support/http-call.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { tempDir as makeTempDir } from './support/temp-dir.js';
import { createTestDatabase, selectedEngines, type TestDatabase } from './support/test-database.js';

const API_KEY = 'encryption-test-key-0123456789abcdef';
const TOKEN = 'Bearer receiver-token-c41f';
const receivers: Receiver[] = [];
const databases: TestDatabase[] = [];

afterEach(async () => {
  await killAllHookd();
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

const tempDir = () => makeTempDir('hookd-encryption-');

/** Runs `hookd ARGS` to its end. */
const run = (args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> =>
  runHookd(args, { cwd, env });

/** `hookd serve` on the database (a SQLite file, or a postgres:// URL), delivering to 127.0.0.1, once it listens. */
function serve(cwd: string, env: Record<string, string>, database = join(cwd, 'h.db')): Promise<Served> {
  return serveHookd(['--database', database, '--bootstrap-key', API_KEY, '--allow-network', '127.0.0.0/8'], {
    cwd,
    env,
  });
}

/** An API call that must succeed: its body. */
async function api(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const answer = await apiCall(url, method, path, API_KEY, body);
  expect(answer.status, `${method} ${path}`).toBeLessThan(300);
  return answer.body;
}

/** The one webhook's secret and headers as stored, read past hookd. */
async function rawWebhook(database: string): Promise<{ secret: string; headers: Record<string, string> }> {
  const sql = 'SELECT secret, headers FROM webhooks';
  let row: { secret: string; headers: string };
  if (database.startsWith('postgres://')) {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    row = (await client.query<typeof row>(sql).finally(() => client.end())).rows[0]!;
  } else {
    const file = new Database(database, { readonly: true });
    row = file.prepare(sql).get() as typeof row;
    file.close();
  }
  return { secret: row.secret, headers: JSON.parse(row.headers) as Record<string, string> };
}

/**
 * Key A, then `hookd encryption rotate` to key B (A still given) while hookd runs, twice; then hookd with B alone
 * sends a delivery that verifies with the secret shown at create.
 */
async function rotateWhileRunning(database: string): Promise<void> {
  const [keyA, keyB] = [randomBytes(32), randomBytes(32)];
  const [idA, idB] = [encryptionKeyId(keyA), encryptionKeyId(keyB)];
  const receiver = await startReceiver();
  receivers.push(receiver);
  const cwd = tempDir();

  const first = await serve(cwd, { HOOKD_ENCRYPTION_KEY: keyA.toString('base64') }, database);
  const webhook = await api(first.url, 'POST', '/webhooks', { url: receiver.url, headers: { Authorization: TOKEN } });
  expect((await rawWebhook(database)).secret).toMatch(new RegExp(`^enc:v1:${idA}:`));

  const rotateEnv = {
    HOOKD_DATABASE_URL: database,
    HOOKD_ENCRYPTION_KEY: keyB.toString('base64'),
    HOOKD_ENCRYPTION_OLD_KEYS: keyA.toString('base64'),
  };
  const rotated = await run(['encryption', 'rotate'], cwd, rotateEnv);
  expect(rotated.code, rotated.stderr).toBe(0);
  expect(rotated.stdout).toMatch(new RegExp(`^hookd: 1 of 1 webhooks re-encrypted with key id ${idB} in `));
  const raw = await rawWebhook(database);
  expect(raw.secret).toMatch(new RegExp(`^enc:v1:${idB}:`));
  expect(raw.headers.Authorization).toMatch(new RegExp(`^enc:v1:${idB}:`));
  const again = await run(['encryption', 'rotate'], cwd, rotateEnv);
  expect(again.stdout).toContain('hookd: 0 of 1 webhooks re-encrypted');
  expect(await rawWebhook(database)).toEqual(raw);
  await stopCleanly(first.child);

  // Key A is gone for good: had anything stayed under it, this process could not sign with it.
  const second = await serve(cwd, { HOOKD_ENCRYPTION_KEY: keyB.toString('base64') }, database);
  await api(second.url, 'POST', '/events', { type: 'order.paid', data: { amount: 1 } });
  const received = await eventually(
    () => receiver.requests[0] ?? Promise.reject(new Error('nothing received yet')),
    15_000,
  );
  expect(received.headers.authorization).toBe(TOKEN);
  expect(verify(received.body, received.headers, webhook.secret as string)).toMatchObject({
    type: 'order.paid',
    data: { amount: 1 },
  });
  await stopCleanly(second.child);
}

describe('HOOKD_ENCRYPTION_KEY', { timeout: 60_000 }, () => {
  it('refuses a malformed key on one line, without echoing it, with exit 2', async () => {
    const bad = 'c2hvcnQta2V5';
    const started = await run(['serve', '--port', '0'], tempDir(), { HOOKD_ENCRYPTION_KEY: bad });
    expect(started.code).toBe(2);
    expect(started.stderr).toMatch(/^hookd: HOOKD_ENCRYPTION_KEY: must be 32 random bytes in base64[^\n]*\n$/);
    expect(started.stderr).not.toContain(bad);
  });

  it('says once at start, when there is none, that secrets are stored unencrypted', async () => {
    const { child } = await serve(tempDir(), {});
    const warnings = jsonLines(child.stdout).filter((line) => String(line.msg).includes('stored unencrypted'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/^HOOKD_ENCRYPTION_KEY is not set/);
    await stopCleanly(child);
    const { child: keyed } = await serve(tempDir(), { HOOKD_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    expect(keyed.stdout).not.toContain('stored unencrypted');
  });

  it('moves every secret to a new key with `hookd encryption rotate` while hookd runs; deliveries then verify with the new key alone', async () => {
    await rotateWhileRunning(join(tempDir(), 'h.db'));
  });

  it.runIf(selectedEngines().includes('postgres'))('does the same on PostgreSQL', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    await rotateWhileRunning(database.url);
  });

  it('refuses to start (serve and worker) while stored values need a key not given, naming its id and count, with exit 2', async () => {
    const [keyA, keyB] = [randomBytes(32), randomBytes(32)];
    const cwd = tempDir();
    const first = await serve(cwd, { HOOKD_ENCRYPTION_KEY: keyA.toString('base64') });
    await api(first.url, 'POST', '/webhooks', { url: 'https://example.com/hook', headers: { Authorization: TOKEN } });
    await stopCleanly(first.child);
    const database = join(cwd, 'h.db');
    for (const role of ['serve', 'worker']) {
      const started = await run([role, '--port', '0', '--database', database], cwd, {
        HOOKD_ENCRYPTION_KEY: keyB.toString('base64'),
      });
      expect(started.code, started.stderr).toBe(2);
      expect(started.stderr).toMatch(
        new RegExp(
          `^hookd: HOOKD_ENCRYPTION_KEY: [^\\n]*\\(2 with key id ${encryptionKeyId(keyA)}\\)[^\\n]*HOOKD_ENCRYPTION_OLD_KEYS\\n$`,
        ),
      );
      expect(started.stdout).not.toContain('hookd listening');
    }
    // Given as an old key, it starts.
    const again = await serve(cwd, {
      HOOKD_ENCRYPTION_KEY: keyB.toString('base64'),
      HOOKD_ENCRYPTION_OLD_KEYS: keyA.toString('base64'),
    });
    await stopCleanly(again.child);
  });

  it('stops a rotation that meets a value under a key it is not given, naming the key id, with exit 1', async () => {
    const [keyA, keyB] = [randomBytes(32), randomBytes(32)];
    const cwd = tempDir();
    const first = await serve(cwd, { HOOKD_ENCRYPTION_KEY: keyA.toString('base64') });
    await api(first.url, 'POST', '/webhooks', { url: 'https://example.com/hook' });
    await stopCleanly(first.child);
    const rotated = await run(['encryption', 'rotate'], cwd, {
      HOOKD_DATABASE_URL: join(cwd, 'h.db'),
      HOOKD_ENCRYPTION_KEY: keyB.toString('base64'),
    });
    expect(rotated.code).toBe(1);
    expect(rotated.stderr).toMatch(
      new RegExp(
        `^hookd: a stored secret is encrypted with key id ${encryptionKeyId(keyA)}[^\\n]*HOOKD_ENCRYPTION_OLD_KEYS[^\\n]*\\n$`,
      ),
    );
  });
});
