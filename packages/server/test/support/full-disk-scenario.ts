// What a user sees of a running hookd whose database's disk fills up and is freed again, whatever the engine:
// publishes refused with 503 and Retry-After and /readyz 503 while it is full, both back by themselves once space is
// freed, and every event answered 202 stored and delivered.
import { unlinkSync } from 'node:fs';
import { expect } from 'vitest';
import { jsonLines, type Hookd } from './hookd-process.js';
import type { HoldingReceiver } from './holding-receiver.js';
import { eventually } from './eventually.js';
import { fillDisk, type PrivateDisk } from './private-disk.js';

export interface FullDiskRun {
  /** A `hookd serve` with the admin key `key`, that may deliver to `receiver` (127.0.0.1). */
  hookd: Hookd;
  key: string;
  receiver: HoldingReceiver;
  /** The database's disk: filled by a file written on it, freed by removing the file. */
  disk: PrivateDisk;
  /**
   * Whether recording the attempts in flight surely fails on the full disk. On SQLite every commit needs room in its
   * WAL; PostgreSQL may fit a small write in a page it already has.
   */
  recordsFail: boolean;
}

/** Calls the API at `url` with `key`. */
export function apiCaller(url: string, key: string) {
  return (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

/** Runs the scenario on `run`, asserting as it goes. */
export async function expectFullDiskRefusedThenRecovered(run: FullDiskRun): Promise<void> {
  const { receiver, disk } = run;
  const url = await run.hookd.listening();
  const call = apiCaller(url, run.key);
  const webhook = (await (
    await call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['disk.*'] })
  ).json()) as {
    id: string;
  };
  const publisher = eventPublisher(call);

  // Deliveries in flight when the disk fills: their endpoint answers only once it is full.
  for (let i = 0; i < 5; i++) expect((await publisher.publish()).response.status).toBe(202);
  await eventually(() => expect(receiver.held()).toBe(5));
  fillDisk(disk.path('filler'));
  // Either engine may go on writing into room it already has (SQLite's WAL file, PostgreSQL's last page of a table),
  // so the first publishes after the disk filled could still be stored: publish until the disk refuses one.
  const refused = await publisher.publishUntilRefused();
  expect(refused?.response.status, 'a publish on the full disk').toBe(503);
  expect(refused!.response.headers.get('retry-after')).toBe('1');
  expect(refused!.body.error).toMatchObject({ code: 'HOOKD_ERR_UNAVAILABLE', message: expect.any(String) });
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ status: 'unavailable' });
  receiver.release();
  if (run.recordsFail)
    await run.hookd.waitForLog('recording the attempt failed; the delivery is due again when its lease runs out');
  // Still full: still refused, and still not ready.
  expect((await publisher.publish()).response.status).toBe(503);
  expect((await fetch(`${url}/readyz`)).status).toBe(503);

  unlinkSync(disk.path('filler'));
  // Ready again with no publish to show it: /readyz tries a write of its own.
  await eventually(async () => expect((await fetch(`${url}/readyz`)).status).toBe(200), 15_000);
  for (let i = 0; i < 5; i++) expect((await publisher.publish()).response.status).toBe(202);

  await expectEveryAcceptedDelivered(run, call, webhook.id, publisher.accepted);
  expect(run.hookd.exit).toBeUndefined();
  expect(run.hookd.stderr).toBe('');
  expect(jsonLines(run.hookd.stdout).filter((line) => line.level === 60)).toEqual([]);
}

/** Publishes events of type disk.filled, keeping the ids of those answered 202. */
function eventPublisher(call: ReturnType<typeof apiCaller>) {
  const accepted: string[] = [];
  let published = 0;
  const publish = async () => {
    const response = await call('POST', '/api/v1/events', { type: 'disk.filled', data: { n: published++ } });
    const body = (await response.json()) as { id?: string; error?: { code: string } };
    if (response.status === 202) accepted.push(body.id!);
    return { response, body };
  };
  const publishUntilRefused = async () => {
    while (published < 5_000) {
      const answer = await publish();
      if (answer.response.status !== 202) return answer;
    }
    return undefined;
  };
  return { accepted, publish, publishUntilRefused };
}

/**
 * Every event answered 202 was stored: it can be read back, and its delivery ends delivered (those whose first record
 * was lost were sent again once their lease ran out).
 */
async function expectEveryAcceptedDelivered(
  run: FullDiskRun,
  call: ReturnType<typeof apiCaller>,
  webhookId: string,
  accepted: string[],
): Promise<void> {
  for (const id of accepted) expect((await call('GET', `/api/v1/events/${id}`)).status).toBe(200);
  await eventually(async () => expect(await deliveredEventIds(call, webhookId)).toEqual([...accepted].sort()), 30_000);
  expect(accepted.filter((id) => !run.receiver.eventIds.includes(id))).toEqual([]);
}

/** The event ids of the webhook's deliveries that ended delivered, sorted, from every page of its log. */
export async function deliveredEventIds(call: ReturnType<typeof apiCaller>, webhookId: string): Promise<string[]> {
  const delivered: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = (await (await call('GET', `/api/v1/webhooks/${webhookId}/deliveries?${query}`)).json()) as {
      data: { eventId: string; status: string }[];
      nextCursor: string | null;
    };
    delivered.push(
      ...page.data.filter((delivery) => delivery.status === 'success').map((delivery) => delivery.eventId),
    );
    cursor = page.nextCursor;
  } while (cursor !== null);
  return delivered.sort();
}
