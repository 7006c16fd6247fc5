// Scale-out for real: one `hookd serve --no-worker` and several `hookd worker` processes on one PostgreSQL
// database. Every delivery arrives, none is sent twice while its lease holds, a worker killed with SIGKILL has its
// deliveries taken over once their lease runs out, and the processes carry on after PostgreSQL restarts.
import { verify } from '@hookd/verify';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { Hookd, killAllHookd, type Served } from './support/hookd-process.js';
import { apiCall, httpCall } from './support/http-call.js';
import { peerPid } from './support/peer-process.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import {
  startReceiver as startHttpReceiver,
  type ReceivedRequest,
  type Receiver as HttpReceiver,
} from './support/receiver.js';
import { tempDir } from './support/temp-dir.js';
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
  /** Whether it carried a valid Standard Webhooks signature by the secret set with signWith (false before that). */
  signed: boolean;
}

interface Receiver {
  receiver: HttpReceiver;
  url: string;
  receipts: Receipt[];
  /** The webhook's signing secret: from then on each receipt says whether its signature is valid. */
  signWith(secret: string): void;
  /** Answers nothing sent by the process `pid` until release(): its requests pile up in flight, the others' go on. */
  hold(pid: number): void;
  release(): void;
  /** Receipts of each event id. */
  byId(): Map<string, Receipt[]>;
  close(): Promise<void>;
}

function signedBy(secret: string, request: ReceivedRequest): boolean {
  try {
    verify(request.body, request.headers, secret, { scheme: 'standard' });
    return true;
  } catch {
    return false;
  }
}

/** Answers 200, remembering each event id, when it came and which of `senders()` sent it. */
async function startReceiver(senders: () => number[]): Promise<Receiver> {
  const receipts: Receipt[] = [];
  let held: { pid: number; answers: (() => void)[] } | undefined;
  let secret: string | undefined;
  const pidOf = new WeakMap<object, number | undefined>();
  const receiver = await startHttpReceiver(async (request) => {
    const { socket } = request;
    if (!pidOf.has(socket)) pidOf.set(socket, peerPid(socket, senders()));
    const receipt: Receipt = {
      id: (request.json as { id: string }).id,
      pid: pidOf.get(socket),
      startedAt: Date.now(),
      answeredAt: undefined,
      signed: secret !== undefined && signedBy(secret, request),
    };
    receipts.push(receipt);
    if (held && receipt.pid === held.pid) await new Promise<void>((resolve) => held!.answers.push(resolve));
    // A sender killed meanwhile never gets this answer: the receipt stays unanswered.
    if (!socket.destroyed) receipt.answeredAt = Date.now();
    return { status: 200, body: 'ok' };
  });
  return {
    receiver,
    url: receiver.url,
    receipts,
    signWith: (value) => (secret = value),
    hold: (pid) => (held ??= { pid, answers: [] }),
    release: () => {
      const answers = held?.answers ?? [];
      held = undefined;
      for (const answer of answers) answer();
    },
    byId: () => {
      const map = new Map<string, Receipt[]>();
      for (const receipt of receipts) map.set(receipt.id, [...(map.get(receipt.id) ?? []), receipt]);
      return map;
    },
    close: () => receiver.close(),
  };
}

function hookd(args: string[]): Hookd {
  // No per-key limit: the tests publish thousands of events as fast as they can with one key (the limit has its own tests).
  return new Hookd([...args, '--allow-network', '127.0.0.0/8', '--log-level', 'info'], {
    cwd: tempDir('hookd-scale-'),
    env: { HOOKD_BOOTSTRAP_API_KEY: KEY, HOOKD_API_RATE_LIMIT: '0' },
  });
}

async function startApi(database: string): Promise<Served> {
  const child = hookd(['serve', '--no-worker', '--port', '0', '--database', database]);
  return { child, url: await child.listening() };
}

async function startWorker(database: string, extra: string[]): Promise<Hookd> {
  const child = hookd(['worker', '--database', database, ...extra]);
  await child.waitForLog('hookd worker started');
  return child;
}

const post = (base: string, path: string, body: unknown) => apiCall(base, 'POST', path, KEY, body);

async function get(base: string, path: string): Promise<any> {
  const answer = await apiCall(base, 'GET', path, KEY);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Creates a webhook to `url`; answers its id and signing secret (none with scheme "none"). */
async function createWebhook(
  api: string,
  url: string,
  scheme: 'none' | 'standard' = 'none',
): Promise<{ id: string; secret: string | undefined }> {
  const created = await post(api, '/webhooks', {
    url,
    signature: { scheme },
    retry: { schedule: ['1s', '1s', '1s', '1s', '1s'] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id as string, secret: created.body.secret as string | undefined };
}

/** The delivery log of a webhook, every page of it. */
async function deliveryLog(
  api: string,
  webhookId: string,
): Promise<{ eventId: string; status: string; attempts: number }[]> {
  const log: { eventId: string; status: string; attempts: number }[] = [];
  let cursor: string | null = null;
  do {
    const page = (await get(
      api,
      `/webhooks/${webhookId}/deliveries?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    )) as {
      data: { eventId: string; status: string; attempts: number }[];
      nextCursor: string | null;
    };
    log.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return log;
}

/** When each recorded attempt of a delivery began, from its delivery log. */
async function attemptTimes(api: string, deliveryId: string): Promise<number[]> {
  const page = (await get(api, `/deliveries/${deliveryId}/attempts`)) as { data: { attemptedAt: string }[] };
  return page.data.map((attempt) => Date.parse(attempt.attemptedAt));
}

/**
 * Every delivery held under a lease now, by event id: its id, and when the lease runs out (a claim sets
 * `next_attempt_at` to that time, and it stays so until the attempt is recorded or the lease taken over).
 */
async function leasesNow(databaseUrl: string): Promise<Map<string, { deliveryId: string; leaseEnd: number }>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ event_id: string; delivery_id: string; lease_end: Date }>(
      `SELECT e.id AS event_id, d.id AS delivery_id, d.next_attempt_at AS lease_end FROM deliveries d JOIN events e ON e.seq = d.event_seq
       WHERE d.status = 'pending' AND d.lease_token IS NOT NULL`,
    );
    return new Map(
      rows.map((row) => [row.event_id, { deliveryId: row.delivery_id, leaseEnd: row.lease_end.getTime() }]),
    );
  } finally {
    await client.end();
  }
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
  return sorted.some(
    (receipt, i) =>
      i > 0 &&
      receipt.startedAt < (sorted[i - 1]!.answeredAt ?? Infinity) &&
      sorted[i - 1]!.pid !== undefined &&
      receipt.pid === sorted[i - 1]!.pid,
  );
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
});

// Real processes on a real PostgreSQL: part of every run that includes PostgreSQL.
describe.runIf(selectedEngines().includes('postgres'))('hookd on PostgreSQL with several worker processes', () => {
  it('delivers 5,000 events through three workers, each sent again only after a failed attempt, every worker taking part', async () => {
    database = await createTestDatabase();
    const api = await startApi(database.url);
    const workers = await Promise.all([0, 1, 2].map(() => startWorker(database!.url, [])));
    receiver = await startReceiver(() => workers.map((worker) => worker.pid));
    const webhook = await createWebhook(api.url, receiver.url);

    const acknowledged = await publish(api.url, 'evt', 5_000);
    expect(acknowledged).toHaveLength(5_000);
    await eventually(() => expect(receiver!.byId().size).toBe(5_000), 240_000);

    // Every delivery succeeded, and reached the receiver no more often than its log has attempts: a request is sent
    // again only after hookd recorded the one before as failed, never by two workers holding it at once. (Not "exactly
    // once": on a loaded machine this receiver, in the busy test process, read some requests only after hookd's 30 s
    // timeout, 44 of 5,000 in one run, and those were rightly sent again.)
    const log = await eventually(async () => {
      const deliveries = await deliveryLog(api.url, webhook.id);
      expect(deliveries.filter((delivery) => delivery.status !== 'success')).toEqual([]);
      return deliveries;
    }, 60_000);
    expect(log).toHaveLength(5_000);
    const byId = receiver.byId();
    expect(
      log
        .filter((delivery) => byId.get(delivery.eventId)!.length > delivery.attempts)
        .map((delivery) => delivery.eventId),
    ).toEqual([]);
    for (const worker of workers) expect(receiver.receipts.some((receipt) => receipt.pid === worker.pid)).toBe(true);
    for (const child of [api.child, ...workers]) expect(child.exit).toBeUndefined();
  }, 300_000);

  it('takes over the deliveries of a worker killed with SIGKILL once their lease runs out, losing none', async () => {
    // Far longer than any delivery is held by a live worker here, however loaded the machine, so that only the dead
    // worker's leases run out. On 2 busy cores a claim came up to 4.5 s before the kill, the receiver reading some
    // requests 3.4 s after they were sent; the takeover waits out the lease, so the test takes that much longer. Only
    // the victim's requests are held unanswered before the kill: held too, a survivor's could outlast its lease and be
    // taken over by the other survivor, which is no takeover from a dead worker.
    const LEASE_MS = 15_000;
    database = await createTestDatabase();
    const api = await startApi(database.url);
    const workers = await Promise.all(
      [0, 1, 2].map(() => startWorker(database!.url, ['--concurrency', '64', '--lease', `${LEASE_MS / 1_000}s`])),
    );
    receiver = await startReceiver(() => workers.map((worker) => worker.pid));
    receiver.signWith((await createWebhook(api.url, receiver.url, 'standard')).secret!);

    const published = publish(api.url, 'evt', 800);
    const [victim, ...survivors] = workers as [Hookd, Hookd, Hookd];
    const openAt = () =>
      receiver!.receipts.filter((receipt) => receipt.pid === victim.pid && receipt.answeredAt === undefined);
    await eventually(
      () => expect(receiver!.receipts.filter((receipt) => receipt.pid === victim.pid).length).toBeGreaterThan(30),
      60_000,
    );
    // Answers to the victim stop until the kill, so it surely has requests open when it dies.
    receiver.hold(victim.pid);
    await eventually(() => expect(openAt().length).toBeGreaterThanOrEqual(3), 30_000);
    victim.signal('SIGKILL');
    await victim.exited;
    // What the victim held, as it left it: nothing changes a dead worker's leases until they run out.
    const leases = await leasesNow(database.url);
    const cutOff = openAt().map((receipt) => receipt.id);
    receiver.release();
    const acknowledged = await published;
    expect(acknowledged).toHaveLength(800);

    // Nothing lost: every acknowledged event arrives with a valid signature, those the dead worker had open included.
    await eventually(
      () => expect(acknowledged.filter((id) => !receiver!.receipts.some((receipt) => receipt.id === id))).toEqual([]),
      120_000,
    );
    expect(receiver.receipts.filter((receipt) => !receipt.signed)).toEqual([]);
    const byId = receiver.byId();
    const survivorPids = survivors.map((worker) => worker.pid);
    expect(cutOff.length).toBeGreaterThan(0);
    for (const id of cutOff) expect(byId.get(id)!.some((receipt) => survivorPids.includes(receipt.pid!))).toBe(true);
    // Sent twice only by the victim and then a survivor, never at once by one worker. A sender unknown because it had
    // exited can only be the victim: the other workers are alive to the end (checked below).
    const sentByVictim = (receipt: Receipt) => receipt.pid === victim.pid || receipt.pid === undefined;
    const takenOver = [...byId.values()].filter((receipts) => receipts.length > 1);
    for (const receipts of takenOver) {
      expect(receipts.slice(0, -1).every(sentByVictim)).toBe(true);
      expect(overlapping(receipts)).toBe(false);
    }
    // And sent again only once the victim's lease had run out: the one recorded attempt (the victim's never were)
    // began after the lease the victim held it under. Times from hookd's own clock, not the receiver's, which reads
    // requests late on a busy machine.
    for (const receipts of takenOver) {
      const lease = leases.get(receipts[0]!.id);
      expect(
        lease,
        `${receipts[0]!.id} was sent by the victim, so it held it under a lease when it died`,
      ).toBeDefined();
      const attempts = await eventually(async () => {
        const times = await attemptTimes(api.url, lease!.deliveryId);
        expect(times).toHaveLength(1);
        return times;
      }, 30_000);
      expect(attempts[0]).toBeGreaterThanOrEqual(lease!.leaseEnd);
    }
    for (const child of [api.child, ...survivors]) expect(child.exit).toBeUndefined();
  }, 180_000);

  it('refuses a key revoked through one API process in the other too', async () => {
    database = await createTestDatabase();
    const [one, other] = [await startApi(database.url), await startApi(database.url)];
    const workspaces = (await apiCall(one.url, 'GET', '/workspaces', KEY)).body as { data: { id: string }[] };
    const workspaceId = workspaces.data[0]!.id;
    const issued = (await apiCall(one.url, 'POST', `/workspaces/${workspaceId}/keys`, KEY, { name: 'to revoke' }))
      .body as { id: string; key: string };
    // The other process has read the key (and keeps it in its read cache) before the revocation.
    expect((await apiCall(other.url, 'GET', '/webhooks', issued.key)).status).toBe(200);

    expect((await apiCall(one.url, 'DELETE', `/workspaces/${workspaceId}/keys/${issued.id}`, KEY)).status).toBe(204);
    expect((await apiCall(one.url, 'GET', '/webhooks', issued.key)).status).toBe(401);
    await eventually(async () => expect((await apiCall(other.url, 'GET', '/webhooks', issued.key)).status).toBe(401));
    expect((await apiCall(other.url, 'GET', '/webhooks', KEY)).status).toBe(200);
  });

  it('carries on after PostgreSQL restarts: deliveries published after it arrive, woken by LISTEN/NOTIFY', async () => {
    cluster = await startPrivatePostgres();
    const url = cluster.url;
    const api = await startApi(url);
    // A poll interval far longer than the test's waits: only a NOTIFY explains prompt deliveries.
    const workers = await Promise.all([0, 1].map(() => startWorker(url, ['--lease', '3s', '--poll-interval', '10m'])));
    receiver = await startReceiver(() => workers.map((worker) => worker.pid));
    const webhook = await createWebhook(api.url, receiver.url);

    expect(await publish(api.url, 'before', 300)).toHaveLength(300);
    await eventually(() => expect(receiver!.receipts.length).toBeGreaterThan(0), 30_000);
    cluster.restart();

    // Publishing works again once the API's pool has replaced its connections (a request or two may fail first).
    await eventually(
      async () =>
        expect((await post(api.url, '/events', { id: 'after-restart', type: 'order.created', data: {} })).status).toBe(
          202,
        ),
      60_000,
    );
    const after = await publish(api.url, 'after', 200);
    expect(after).toHaveLength(200);
    const wanted = new Set([...Array.from({ length: 300 }, (_, i) => `before-${i}`), 'after-restart', ...after]);
    await eventually(
      () => expect([...wanted].filter((id) => !receiver!.receipts.some((receipt) => receipt.id === id))).toEqual([]),
      90_000,
    );

    // Idle now: every delivery recorded, none pending, so a worker looking for due work finds none and sleeps the whole
    // poll interval. A single publish then arrives long before that poll: a NOTIFY woke a worker (or a timer it set
    // for a lease or a retry, due within 3 s of the last record).
    await eventually(
      async () => expect((await get(api.url, `/webhooks/${webhook.id}/deliveries?status=pending`)).data).toEqual([]),
      30_000,
    );
    expect((await post(api.url, '/events', { id: 'wake-up', type: 'order.created', data: {} })).status).toBe(202);
    await eventually(() => expect(receiver!.receipts.some((receipt) => receipt.id === 'wake-up')).toBe(true), 60_000);
    for (const child of [api.child, ...workers]) expect(child.exit).toBeUndefined();
  }, 180_000);

  it('answers 503 with Retry-After while PostgreSQL is down, and takes publishes again once it is back', async () => {
    cluster = await startPrivatePostgres();
    const api = await startApi(cluster.url);
    await createWebhook(api.url, 'http://127.0.0.1:9/unused');
    expect((await post(api.url, '/events', { id: 'before', type: 'order.created', data: {} })).status).toBe(202);

    cluster.down();
    const response = await httpCall(`${api.url}/api/v1/events`, {
      key: KEY,
      body: { id: 'during', type: 'order.created', data: {} },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body.error.code).toBe('HOOKD_ERR_UNAVAILABLE');
    expect((await post(api.url, '/webhooks', { url: 'http://127.0.0.1:9/other' })).status).toBe(503);

    cluster.start();
    // The same publish, sent again as Retry-After says, is taken once the pool has new connections.
    await eventually(
      async () =>
        expect((await post(api.url, '/events', { id: 'during', type: 'order.created', data: {} })).status).toBe(202),
      60_000,
    );
    expect(api.child.exit).toBeUndefined();
  }, 120_000);
});
