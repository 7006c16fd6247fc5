// The rig of the scale-out tests: `hookd serve --no-worker` and `hookd worker` processes on one PostgreSQL database,
// a receiver that records which process sent each delivery, and reads of the delivery log and the leases.
import { verify } from '@hookd/verify';
import pg from 'pg';
import { afterEach, expect } from 'vitest';
import { Hookd, killAllHookd, type Served } from './hookd-process.js';
import { apiCall } from './http-call.js';
import { peerPid } from './peer-process.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
import { startReceiver as startHttpReceiver, type ReceivedRequest, type Receiver as HttpReceiver } from './receiver.js';
import { tempDir } from './temp-dir.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const KEY = 'scale-out-admin-key-0123456789';

export interface Receipt {
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

export interface Receiver {
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
export async function startReceiver(senders: () => number[]): Promise<Receiver> {
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

export interface ScaleOutRig {
  /** A fresh database on the shared PostgreSQL, dropped after the test. */
  database(): Promise<TestDatabase>;
  /** A PostgreSQL cluster of the test's own (to restart or stop), stopped after the test. */
  privatePostgres(): Promise<PrivatePostgres>;
  /** A receiver (see startReceiver), closed after the test. */
  receiver(senders: () => number[]): Promise<Receiver>;
}

/**
 * Call once at the top of a test file: after each test it kills every hookd process, then closes what the test opened
 * through the rig, the last opened first.
 */
export function scaleOutRig(): ScaleOutRig {
  const opened: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    await killAllHookd();
    while (opened.length > 0) await opened.pop()!();
  });
  const keep = <T>(resource: T, close: (resource: T) => Promise<void> | void): T => {
    opened.push(() => close(resource));
    return resource;
  };
  return {
    database: async () => keep(await createTestDatabase(), (database) => database.drop()),
    privatePostgres: async () => keep(await startPrivatePostgres(), (cluster) => cluster.stop()),
    receiver: async (senders) => keep(await startReceiver(senders), (receiver) => receiver.close()),
  };
}

export function hookd(args: string[]): Hookd {
  // No per-key limit: the tests publish thousands of events as fast as they can with one key (the limit has its own tests).
  return new Hookd([...args, '--allow-network', '127.0.0.0/8', '--log-level', 'info'], {
    cwd: tempDir('hookd-scale-'),
    env: { HOOKD_BOOTSTRAP_API_KEY: KEY, HOOKD_API_RATE_LIMIT: '0' },
  });
}

export async function startApi(database: string): Promise<Served> {
  const child = hookd(['serve', '--no-worker', '--port', '0', '--database', database]);
  return { child, url: await child.listening() };
}

export async function startWorker(database: string, extra: string[]): Promise<Hookd> {
  const child = hookd(['worker', '--database', database, ...extra]);
  await child.waitForLog('hookd worker started');
  return child;
}

export const post = (base: string, path: string, body: unknown) => apiCall(base, 'POST', path, KEY, body);

export async function get(base: string, path: string): Promise<any> {
  const answer = await apiCall(base, 'GET', path, KEY);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Creates a webhook to `url`; answers its id and signing secret (none with scheme "none"). */
export async function createWebhook(
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
export async function deliveryLog(
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
export async function attemptTimes(api: string, deliveryId: string): Promise<number[]> {
  const page = (await get(api, `/deliveries/${deliveryId}/attempts`)) as { data: { attemptedAt: string }[] };
  return page.data.map((attempt) => Date.parse(attempt.attemptedAt));
}

/**
 * Every delivery held under a lease now, by event id: its id, and when the lease runs out (a claim sets
 * `next_attempt_at` to that time, and it stays so until the attempt is recorded or the lease taken over).
 */
export async function leasesNow(databaseUrl: string): Promise<Map<string, { deliveryId: string; leaseEnd: number }>> {
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
export async function publish(api: string, prefix: string, count: number, parallel = 32): Promise<string[]> {
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
export function overlapping(receipts: Receipt[]): boolean {
  const sorted = [...receipts].sort((a, b) => a.startedAt - b.startedAt);
  return sorted.some(
    (receipt, i) =>
      i > 0 &&
      receipt.startedAt < (sorted[i - 1]!.answeredAt ?? Infinity) &&
      sorted[i - 1]!.pid !== undefined &&
      receipt.pid === sorted[i - 1]!.pid,
  );
}
