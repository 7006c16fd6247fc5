// Scale-out for real: one `hookd serve --no-worker` and several `hookd worker` processes on one PostgreSQL
// database. Every delivery arrives, none is sent twice while its lease holds, a worker killed with SIGKILL has its
// deliveries taken over once their lease runs out, and the processes carry on after PostgreSQL restarts.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Hookd, killAllHookd } from './support/hookd-process.js';
import { peerPid } from './support/peer-process.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { eventually } from './support/programmable-receiver.js';
import { createTestDatabase, selectedEngines, type TestDatabase } from './support/test-database.js';

const KEY = 'scale-out-admin-key-0123456789';

interface Receipt {
  id: string;
  /**
   * The hookd process that sent it; undefined when that process had exited before the receiver read the request (a
   * request still in the kernel's buffers when its sender was killed).
   */
  pid: number | undefined;
  startedAt: number;
  answeredAt: number | undefined;
}

interface Receiver {
  server: Server;
  url: string;
  receipts: Receipt[];
  /** Answers nothing until release(): requests pile up in flight. */
  hold(): void;
  release(): void;
  /** Receipts of each event id. */
  byId(): Map<string, Receipt[]>;
  close(): Promise<void>;
}

/** Answers 200 after `delayMs`, remembering each event id, when it came and which of `senders()` sent it. */
async function startReceiver(senders: () => number[], delayMs: number): Promise<Receiver> {
  const receipts: Receipt[] = [];
  let held: (() => void)[] | undefined;
  const pidOf = new WeakMap<Socket, number | undefined>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    if (!pidOf.has(socket)) pidOf.set(socket, peerPid(socket, senders()));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receipt: Receipt = { id: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id, pid: pidOf.get(socket), startedAt: Date.now(), answeredAt: undefined };
      receipts.push(receipt);
      const answer = () => {
        // A sender killed meanwhile never gets this answer: the receipt stays unanswered.
        if (socket.destroyed) return;
        response.writeHead(200).end('ok');
        receipt.answeredAt = Date.now();
      };
      setTimeout(() => (held ? held.push(answer) : answer()), delayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    server,
    url: `http://127.0.0.1:${port}/hooks`,
    receipts,
    hold: () => (held ??= []),
    release: () => {
      const answers = held ?? [];
      held = undefined;
      for (const answer of answers) answer();
    },
    byId: () => {
      const map = new Map<string, Receipt[]>();
      for (const receipt of receipts) map.set(receipt.id, [...(map.get(receipt.id) ?? []), receipt]);
      return map;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const cwds: string[] = [];
function hookd(args: string[]): Hookd {
  const cwd = mkdtempSync(join(tmpdir(), 'hookd-scale-'));
  cwds.push(cwd);
  // No per-key limit: the tests publish thousands of events as fast as they can with one key (the limit has its own tests).
  return new Hookd([...args, '--allow-network', '127.0.0.0/8', '--log-level', 'info'], { cwd, env: { HOOKD_BOOTSTRAP_API_KEY: KEY, HOOKD_API_RATE_LIMIT: '0' } });
}

async function startApi(database: string): Promise<{ child: Hookd; url: string }> {
  const child = hookd(['serve', '--no-worker', '--port', '0', '--database', database]);
  const url = await child.waitFor('the listening line', () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(child.stdout)?.[1]);
  return { child, url };
}

async function startWorker(database: string, extra: string[]): Promise<Hookd> {
  const child = hookd(['worker', '--database', database, ...extra]);
  await child.waitForLog('hookd worker started');
  return child;
}

async function post(base: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function createWebhook(api: string, url: string): Promise<string> {
  const created = await post(api, '/webhooks', { url, signature: { scheme: 'none' }, retry: { schedule: ['1s', '1s', '1s', '1s', '1s'] } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

/** Publishes `count` events named `prefix-N`, `parallel` at a time; answers the ids hookd acknowledged (202). */
async function publish(api: string, prefix: string, count: number, parallel = 32): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const acknowledged: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const result = await post(api, '/events', { id, type: 'order.created', data: { id } });
      if (result.status === 202) acknowledged.push(id);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return acknowledged;
}

/** Two receipts of one delivery overlap in time: it was sent again while a worker was still sending it. */
function overlapping(receipts: Receipt[]): boolean {
  const sorted = [...receipts].sort((a, b) => a.startedAt - b.startedAt);
  return sorted.some((receipt, i) => i > 0 && receipt.startedAt < (sorted[i - 1]!.answeredAt ?? Infinity) && sorted[i - 1]!.pid !== undefined && receipt.pid === sorted[i - 1]!.pid);
}

let receiver: Receiver | undefined;
let database: TestDatabase | undefined;
let cluster: PrivatePostgres | undefined;
afterEach(async () => {
  await killAllHookd();
  await receiver?.close();
  receiver = undefined;
  await database?.drop();
  database = undefined;
  cluster?.stop();
  cluster = undefined;
  for (const cwd of cwds.splice(0)) rmSync(cwd, { recursive: true, force: true });
});

// Real processes on a real PostgreSQL: part of every run that includes PostgreSQL.
describe.runIf(selectedEngines().includes('postgres'))('hookd on PostgreSQL with several worker processes', () => {
  it('delivers 5,000 events through three workers, each exactly once, every worker taking part', async () => {
    database = await createTestDatabase();
    const api = await startApi(database.url);
    const workers = await Promise.all([0, 1, 2].map(() => startWorker(database!.url, [])));
    receiver = await startReceiver(() => workers.map((worker) => worker.pid), 2);
    await createWebhook(api.url, receiver.url);

    const acknowledged = await publish(api.url, 'evt', 5_000);
    expect(acknowledged).toHaveLength(5_000);
    await eventually(() => expect(receiver!.byId().size).toBe(5_000), 90_000);

    const byId = receiver.byId();
    expect([...byId.values()].filter((receipts) => receipts.length > 1).map((receipts) => receipts[0]!.id)).toEqual([]);
    const perWorker = workers.map((worker) => receiver!.receipts.filter((receipt) => receipt.pid === worker.pid).length);
    expect(perWorker.reduce((sum, count) => sum + count, 0)).toBe(5_000);
    for (const count of perWorker) expect(count).toBeGreaterThan(0);
    for (const child of [api.child, ...workers]) expect(child.exit).toBeUndefined();
  }, 180_000);

  it('takes over the deliveries of a worker killed with SIGKILL once their lease runs out, losing none', async () => {
    const LEASE_MS = 4_000;
    database = await createTestDatabase();
    const api = await startApi(database.url);
    const workers = await Promise.all([0, 1, 2].map(() => startWorker(database!.url, ['--concurrency', '64', '--lease', `${LEASE_MS / 1_000}s`])));
    receiver = await startReceiver(() => workers.map((worker) => worker.pid), 50);
    await createWebhook(api.url, receiver.url);

    const published = publish(api.url, 'evt', 800);
    const victim = workers[0]!;
    const openAt = () => receiver!.receipts.filter((receipt) => receipt.pid === victim.pid && receipt.answeredAt === undefined);
    await eventually(() => expect(receiver!.receipts.filter((receipt) => receipt.pid === victim.pid).length).toBeGreaterThan(30), 60_000);
    // Answers stop for a moment (far shorter than the lease), so the victim surely has requests open when it dies.
    receiver.hold();
    await eventually(() => expect(openAt().length).toBeGreaterThanOrEqual(3), 10_000);
    victim.signal('SIGKILL');
    await victim.exited;
    const cutOff = openAt().map((receipt) => receipt.id);
    receiver.release();
    const acknowledged = await published;
    expect(acknowledged).toHaveLength(800);

    // Nothing lost: every event arrives, those the dead worker had open included.
    await eventually(() => expect(new Set(receiver!.receipts.map((receipt) => receipt.id)).size).toBe(800), 90_000);
    const byId = receiver.byId();
    expect(cutOff.length).toBeGreaterThan(0);
    for (const id of cutOff) expect(byId.get(id)!.some((receipt) => receipt.pid !== victim.pid)).toBe(true);
    // Sent again only when the dead worker's lease had run out, and only then. The lease starts at the claim, and a
    // claimed delivery may wait up to a second for a slot before it is sent, so the second send comes at least the
    // lease less that second (and a little scheduling) after the first. A sender unknown because it had exited can
    // only be the victim: the other workers are alive to the end (checked below).
    const sentByVictim = (receipt: Receipt) => receipt.pid === victim.pid || receipt.pid === undefined;
    for (const receipts of byId.values()) {
      if (receipts.length === 1) continue;
      expect(receipts.slice(0, -1).every(sentByVictim)).toBe(true);
      expect(receipts.at(-1)!.startedAt - receipts[0]!.startedAt).toBeGreaterThanOrEqual(LEASE_MS - 2_000);
      expect(overlapping(receipts)).toBe(false);
    }
    for (const child of [api.child, workers[1]!, workers[2]!]) expect(child.exit).toBeUndefined();
  }, 180_000);

  it('refuses a key revoked through one API process in the other too', async () => {
    database = await createTestDatabase();
    const [one, other] = [await startApi(database.url), await startApi(database.url)];
    const call = async (base: string, method: string, path: string, key: string, body?: unknown) => {
      const response = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.text()) || '{}' };
    };
    const workspaces = JSON.parse((await call(one.url, 'GET', '/workspaces', KEY)).body) as { data: { id: string }[] };
    const workspaceId = workspaces.data[0]!.id;
    const issued = JSON.parse((await call(one.url, 'POST', `/workspaces/${workspaceId}/keys`, KEY, { name: 'to revoke' })).body) as { id: string; key: string };
    // The other process has read the key (and keeps it in its read cache) before the revocation.
    expect((await call(other.url, 'GET', '/webhooks', issued.key)).status).toBe(200);

    expect((await call(one.url, 'DELETE', `/workspaces/${workspaceId}/keys/${issued.id}`, KEY)).status).toBe(204);
    expect((await call(one.url, 'GET', '/webhooks', issued.key)).status).toBe(401);
    await eventually(async () => expect((await call(other.url, 'GET', '/webhooks', issued.key)).status).toBe(401));
    expect((await call(other.url, 'GET', '/webhooks', KEY)).status).toBe(200);
  });

  it('carries on after PostgreSQL restarts: deliveries published after it arrive, woken by LISTEN/NOTIFY', async () => {
    cluster = await startPrivatePostgres();
    const url = cluster.url;
    const api = await startApi(url);
    // A poll interval far longer than the test's waits: only a NOTIFY explains prompt deliveries.
    const workers = await Promise.all([0, 1].map(() => startWorker(url, ['--lease', '3s', '--poll-interval', '10m'])));
    receiver = await startReceiver(() => workers.map((worker) => worker.pid), 5);
    await createWebhook(api.url, receiver.url);

    expect(await publish(api.url, 'before', 300)).toHaveLength(300);
    await eventually(() => expect(receiver!.receipts.length).toBeGreaterThan(0), 10_000);
    cluster.restart();

    // Publishing works again once the API's pool has replaced its connections (a request or two may fail first).
    await eventually(async () => expect((await post(api.url, '/events', { id: 'after-restart', type: 'order.created', data: {} })).status).toBe(202), 20_000);
    const after = await publish(api.url, 'after', 200);
    expect(after).toHaveLength(200);
    const wanted = new Set([...Array.from({ length: 300 }, (_, i) => `before-${i}`), 'after-restart', ...after]);
    await eventually(() => expect([...wanted].filter((id) => !receiver!.receipts.some((receipt) => receipt.id === id))).toEqual([]), 30_000);

    // Idle now; a single publish arrives well before any poll would have found it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const sentAt = Date.now();
    expect((await post(api.url, '/events', { id: 'wake-up', type: 'order.created', data: {} })).status).toBe(202);
    await eventually(() => expect(receiver!.receipts.some((receipt) => receipt.id === 'wake-up')).toBe(true), 5_000);
    expect(receiver.receipts.find((receipt) => receipt.id === 'wake-up')!.startedAt - sentAt).toBeLessThan(5_000);
    for (const child of [api.child, ...workers]) expect(child.exit).toBeUndefined();
  }, 180_000);

  it('answers 503 with Retry-After while PostgreSQL is down, and takes publishes again once it is back', async () => {
    cluster = await startPrivatePostgres();
    const api = await startApi(cluster.url);
    await createWebhook(api.url, 'http://127.0.0.1:9/unused');
    expect((await post(api.url, '/events', { id: 'before', type: 'order.created', data: {} })).status).toBe(202);

    cluster.down();
    const response = await fetch(`${api.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'during', type: 'order.created', data: {} }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('HOOKD_ERR_UNAVAILABLE');
    expect((await post(api.url, '/webhooks', { url: 'http://127.0.0.1:9/other' })).status).toBe(503);

    cluster.start();
    // The same publish, sent again as Retry-After says, is taken once the pool has new connections.
    await eventually(async () => expect((await post(api.url, '/events', { id: 'during', type: 'order.created', data: {} })).status).toBe(202), 20_000);
    expect(api.child.exit).toBeUndefined();
  }, 120_000);
});
