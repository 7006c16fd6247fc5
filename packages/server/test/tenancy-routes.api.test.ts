// Tenant isolation on every route (issue #15): each route of /openapi.json with path parameters, given workspace A's
// ids and workspace B's key, answers 404 (403 where admin-only), shows none of A's data and changes nothing of A's.
// Built from the document, so a route added later is covered or, if its parameters are unknown here, fails the test.
// (tenancy.api.test.ts holds the particular cases: lists, cursors, same names in two workspaces, admin keys.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { apiOperations, fillPath, type ApiOperation } from './support/openapi-operations.js';
import { hookdFieldHints, plausibleValue } from './support/plausible-values.js';
import { eventually } from './support/eventually.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let receiverA: Receiver;
let receiverB: Receiver;

interface WorkspaceA {
  ids: { webhook: string; delivery: string; event: string; eventType: string; workspace: string; key: string };
  /** A second key of A's, to show that it still works afterwards. */
  key: string;
  /** Every value of A's that B never sends: none may appear in an answer to B. */
  secrets: string[];
}
let a: WorkspaceA;
let keyB: string;
let adminKeyB: string;

/**
 * A's id for each path parameter, by the path segment before it and the parameter's name. A route whose parameter is
 * not here fails the test: add the resource it names to seedWorkspaceA and its id here.
 */
const A_ID_FOR: Record<string, (ids: WorkspaceA['ids']) => string> = {
  'webhooks/{id}': (ids) => ids.webhook,
  'deliveries/{id}': (ids) => ids.delivery,
  'events/{id}': (ids) => ids.event,
  'event-types/{name}': (ids) => ids.eventType,
  'workspaces/{id}': (ids) => ids.workspace,
  'keys/{keyId}': (ids) => ids.key,
};

/** One of every resource in workspace A (the default one), each carrying a value that only A knows. */
async function seedWorkspaceA(): Promise<WorkspaceA> {
  const workspace = await t.call('PATCH', `/api/v1/workspaces/${t.workspaceId}`, {
    body: { alertEmail: 'a-private-alerts@example.com' },
  });
  expect(workspace.status).toBe(200);
  const webhook = await createWebhook(t, {
    url: receiverA.url,
    description: 'a-private-description',
    headers: { 'X-A-Private': 'a-private-header' },
    events: ['*'],
  });
  const eventType = await t.call('POST', '/api/v1/event-types', {
    body: { name: 'alpha.private', description: 'a-private-event-type' },
  });
  expect(eventType.status).toBe(201);
  const event = await publish(t, { type: 'alpha.private', data: { note: 'a-private-data' } });
  const [delivery] = await settledDeliveries(t, webhook.id, 1);
  const issued = await t.call('POST', `/api/v1/workspaces/${t.workspaceId}/keys`, {
    body: { name: 'a-private-key-name' },
  });
  expect(issued.status).toBe(201);
  return {
    ids: {
      webhook: webhook.id,
      delivery: delivery.id,
      event: event.id,
      eventType: 'alpha.private',
      workspace: t.workspaceId,
      key: issued.body.id,
    },
    key: issued.body.key,
    secrets: [
      webhook.secret,
      issued.body.key,
      receiverA.url,
      'a-private-alerts@example.com',
      'a-private-description',
      'a-private-header',
      'a-private-event-type',
      'a-private-data',
      'a-private-key-name',
    ],
  };
}

beforeAll(async () => {
  receiverA = await startReceiver();
  receiverB = await startReceiver();
  t = await startTestApp();
  const b = await t.call('POST', '/api/v1/workspaces', { body: { name: 'tenant-b' } });
  expect(b.status).toBe(201);
  keyB = (await t.call('POST', `/api/v1/workspaces/${b.body.id}/keys`, { body: { name: 'b-app' } })).body.key;
  adminKeyB = (await t.call('POST', `/api/v1/workspaces/${b.body.id}/keys`, { body: { name: 'b-admin', admin: true } }))
    .body.key;
  a = await seedWorkspaceA();
});
afterAll(async () => {
  await t.close();
  await receiverA.close();
  await receiverB.close();
});

/** Everything of A's that B could change, read through A's admin key and from the store (for the secrets). */
async function snapshotOfA(): Promise<unknown> {
  const read = async (path: string) => {
    const result = await t.call('GET', path);
    expect(result.status, path).toBe(200);
    return result.body;
  };
  const stored = await t.store.getWebhook(t.workspaceId, a.ids.webhook);
  return {
    workspace: await read(`/api/v1/workspaces/${t.workspaceId}`),
    webhook: await read(`/api/v1/webhooks/${a.ids.webhook}`),
    secrets: { secret: stored?.secret, previousSecret: stored?.previousSecret },
    eventTypes: await read('/api/v1/event-types?limit=100'),
    events: await read('/api/v1/events?limit=100'),
    deliveries: await read(`/api/v1/webhooks/${a.ids.webhook}/deliveries?limit=100`),
    attempts: await read(`/api/v1/deliveries/${a.ids.delivery}/attempts?limit=100`),
  };
}

/** The route's path with A's ids, or undefined when one of its parameters is not in A_ID_FOR. */
function pathWithIdsOfA(operation: ApiOperation): string | undefined {
  const values: Record<string, string> = {};
  for (const parameter of operation.pathParameters) {
    const idOf = A_ID_FOR[`${parameter.after}/{${parameter.name}}`];
    if (idOf === undefined) return undefined;
    values[parameter.name] = encodeURIComponent(idOf(a.ids));
  }
  return fillPath(operation.path, values);
}

/** Calls every route with path parameters as B; answers what went wrong, one line each. */
async function callEveryRouteAsB(key: string, operations: ApiOperation[]): Promise<string[]> {
  const wrong: string[] = [];
  // What B would send to take A's things over: its own receiver, its own settings.
  const hintsOfB = hookdFieldHints(receiverB.url);
  for (const operation of operations) {
    const path = pathWithIdsOfA(operation);
    if (path === undefined) {
      wrong.push(
        `${operation.label}: no id of A for its parameters; add the resource to seedWorkspaceA and A_ID_FOR in this file`,
      );
      continue;
    }
    const body = operation.body === undefined ? undefined : plausibleValue(operation.body, '', hintsOfB);
    const result = await t.call(operation.method, path, { key, ...(body !== undefined ? { body } : {}) });
    const expected = operation.statuses.includes('403') ? 403 : 404;
    const text = JSON.stringify(result.body) ?? '';
    if (result.status !== expected)
      wrong.push(`${operation.label}: answered ${result.status}, not ${expected}: ${text.slice(0, 200)}`);
    const leaked = a.secrets.filter((secret) => text.includes(secret));
    if (leaked.length > 0) wrong.push(`${operation.label}: the answer shows A's ${leaked.join(', ')}`);
  }
  return wrong;
}

describe("every route with path parameters, given workspace A's ids and workspace B's key", () => {
  it("answers 404 (403 where admin-only), shows nothing of A's and changes nothing of A's", async () => {
    const routes = (await apiOperations(t)).filter((operation) => operation.pathParameters.length > 0);
    expect(routes.map((operation) => operation.label)).toContain('DELETE /api/v1/webhooks/{id}');
    const before = await snapshotOfA();
    const receivedBefore = receiverA.requests.length;

    const wrong = await callEveryRouteAsB(keyB, routes);
    // An admin key manages workspaces (the 403 routes) but opens no other workspace's records.
    wrong.push(
      ...(await callEveryRouteAsB(
        adminKeyB,
        routes.filter((operation) => !operation.statuses.includes('403')),
      )),
    );
    expect(wrong).toEqual([]);

    expect(await snapshotOfA()).toEqual(before);
    expect((await t.call('GET', '/api/v1/webhooks', { key: a.key })).status).toBe(200);
    // Nothing reached A's receiver that A did not cause: A's next event is the only request after B's calls.
    const sentinel = await publish(t, { type: 'alpha.after', data: {} });
    await eventually(() => expect(receiverA.requests.map((request) => request.json?.id)).toContain(sentinel.id), 8_000);
    await settledDeliveries(t, a.ids.webhook, 2);
    expect(receiverA.requests.length).toBe(receivedBefore + 1);
    expect(receiverB.requests).toEqual([]);
  });
});
