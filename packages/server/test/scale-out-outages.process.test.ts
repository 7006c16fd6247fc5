// Scale-out for real: API and worker processes on one PostgreSQL database agree on revoked keys, and carry on after
// PostgreSQL restarts (503 with Retry-After while it is down).
import { describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { apiCall, httpCall } from './support/http-call.js';
import {
  createWebhook,
  get,
  KEY,
  post,
  publish,
  scaleOutRig,
  startApi,
  startWorker,
} from './support/scale-out-cluster.js';
import { selectedEngines } from './support/test-database.js';

const rig = scaleOutRig();

// Real processes on a real PostgreSQL: part of every run that includes PostgreSQL.
describe.runIf(selectedEngines().includes('postgres'))('hookd on PostgreSQL with several worker processes', () => {
  it('refuses a key revoked through one API process in the other too', async () => {
    const database = await rig.database();
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
    const cluster = await rig.privatePostgres();
    const url = cluster.url;
    const api = await startApi(url);
    // A poll interval far longer than the test's waits: only a NOTIFY explains prompt deliveries.
    const workers = await Promise.all([0, 1].map(() => startWorker(url, ['--lease', '3s', '--poll-interval', '10m'])));
    const receiver = await rig.receiver(() => workers.map((worker) => worker.pid));
    const webhook = await createWebhook(api.url, receiver.url);

    expect(await publish(api.url, 'before', 300)).toHaveLength(300);
    await eventually(() => expect(receiver.receipts.length).toBeGreaterThan(0), 30_000);
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
      () => expect([...wanted].filter((id) => !receiver.receipts.some((receipt) => receipt.id === id))).toEqual([]),
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
    await eventually(() => expect(receiver.receipts.some((receipt) => receipt.id === 'wake-up')).toBe(true), 60_000);
    for (const child of [api.child, ...workers]) expect(child.exit).toBeUndefined();
  }, 180_000);

  it('answers 503 with Retry-After while PostgreSQL is down, and takes publishes again once it is back', async () => {
    const cluster = await rig.privatePostgres();
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
