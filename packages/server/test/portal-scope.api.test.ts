// Portal links (issue #17) as an attacker holding one would try them: every route of /openapi.json, called with a link
// for webhook W1 and the ids of W2 (another webhook of the same workspace), answers 403 or 404, shows nothing of
// W2's and changes nothing; read-only links change nothing anywhere; expired and forged links see nothing; no link
// publishes, manages keys or workspaces, makes more links or opens a dashboard session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { apiOperations, fillPath, type ApiOperation } from './support/openapi-operations.js';
import { hookdFieldHints, plausibleValue } from './support/plausible-values.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let receiver: Receiver;
let nowMs = Date.now();
let w1: { id: string; delivery: string };
let w2: { id: string; delivery: string; secret: string; url: string };
let ids: Record<string, string>;

/** Routes a link for some webhooks may call with another webhook's ids and still get a 200: lists filtered for it. */
const ANSWERED_FOR_ANY_LINK = new Set([
  'GET /api/v1/webhooks',
  'GET /api/v1/event-types',
  'GET /api/v1/event-types/{name}',
  'GET /api/v1/dashboard/session',
  'GET /api/v1/stats',
]);

/** The login takes an API key in its body, not the caller's credentials: a portal token there is just a wrong key. */
const LOGIN = 'POST /api/v1/dashboard/session';

async function portal(body: Record<string, unknown>): Promise<string> {
  const made = await t.call('POST', '/api/v1/portal-sessions', { body });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.token;
}

const asPortal = (token: string) => ({ key: null, headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestApp({ clock: () => new Date(nowMs) });
  const first = await createWebhook(t, { url: receiver.url, events: ['*'], description: 'w1-description' });
  const second = await createWebhook(t, {
    url: `${receiver.url}w2-private-path`,
    events: ['*'],
    description: 'w2-private-description',
  });
  const event = await publish(t, { type: 'order.paid', data: { amount: 1 } });
  const [d1] = await settledDeliveries(t, first.id, 1);
  const [d2] = await settledDeliveries(t, second.id, 1);
  expect((await t.call('POST', '/api/v1/event-types', { body: { name: 'order.paid' } })).status).toBe(201);
  const key = await t.call('POST', `/api/v1/workspaces/${t.workspaceId}/keys`, { body: { name: 'k' } });
  w1 = { id: first.id, delivery: d1.id };
  w2 = { id: second.id, delivery: d2.id, secret: second.secret, url: second.url };
  ids = {
    'webhooks/{id}': w2.id,
    'deliveries/{id}': w2.delivery,
    'events/{id}': event.id,
    'event-types/{name}': 'order.paid',
    'workspaces/{id}': t.workspaceId,
    'keys/{keyId}': key.body.id,
  };
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

function pathOf(operation: ApiOperation): string {
  const values: Record<string, string> = {};
  for (const parameter of operation.pathParameters) {
    const id = ids[`${parameter.after}/{${parameter.name}}`];
    if (id === undefined) throw new Error(`${operation.label}: add an id for {${parameter.name}} to this test`);
    values[parameter.name] = encodeURIComponent(id);
  }
  return fillPath(operation.path, values);
}

async function callEveryRoute(token: string, pick: (operation: ApiOperation) => boolean) {
  const answers: { operation: ApiOperation; status: number; text: string }[] = [];
  const hints = hookdFieldHints(`${receiver.url}attacker`);
  for (const operation of (await apiOperations(t)).filter(pick)) {
    const body = operation.body === undefined ? undefined : plausibleValue(operation.body, '', hints);
    const result = await t.call(operation.method, pathOf(operation), {
      ...asPortal(token),
      ...(body !== undefined ? { body } : {}),
    });
    answers.push({ operation, status: result.status, text: JSON.stringify(result.body) ?? '' });
  }
  return answers;
}

async function snapshot() {
  const read = async (path: string) => (await t.call('GET', path)).body;
  return {
    webhooks: await read('/api/v1/webhooks'),
    deliveries: await read(`/api/v1/webhooks/${w2.id}/deliveries`),
    attempts: await read(`/api/v1/deliveries/${w2.delivery}/attempts`),
    events: await read('/api/v1/events'),
    eventTypes: await read('/api/v1/event-types'),
    keys: await read(`/api/v1/workspaces/${t.workspaceId}/keys`),
    workspace: await read(`/api/v1/workspaces/${t.workspaceId}`),
  };
}

describe('POST /api/v1/portal-sessions', () => {
  it('answers a link to /portal carrying the token in the fragment, good for an hour by default', async () => {
    const made = await t.call('POST', '/api/v1/portal-sessions', { body: { webhookIds: [w1.id] } });
    expect(made.status).toBe(201);
    expect(made.body.token).toMatch(/^hps_[A-Za-z0-9_-]{43}$/);
    expect(made.body.url).toBe(`http://localhost:80/portal?ws=${t.workspaceId}#token=${made.body.token}`);
    expect(made.body.expiresAt).toBe(new Date(nowMs + 3_600_000).toISOString());
    const session = await t.call('GET', '/api/v1/dashboard/session', asPortal(made.body.token));
    expect(session.body).toEqual({
      workspace: { id: t.workspaceId, name: 'default', accentColor: null },
      admin: false,
      expiresAt: made.body.expiresAt,
      csrfToken: null,
      readOnly: false,
      webhookIds: [w1.id],
    });
  });

  it('uses --public-url for the link when set', async () => {
    const behind = await startTestApp({ worker: false, dashboard: { publicUrl: 'https://hooks.example.com' } });
    try {
      const made = await behind.call('POST', '/api/v1/portal-sessions', { body: {} });
      expect(made.body.url).toBe(`https://hooks.example.com/portal?ws=${behind.workspaceId}#token=${made.body.token}`);
    } finally {
      await behind.close();
    }
  });

  it.each([
    ['expiresIn', { expiresIn: '25h' }],
    ['expiresIn', { expiresIn: 'soon' }],
    ['webhookIds[0]', { webhookIds: ['wh_01JZ0000000000000000000000'] }],
    ['webhookIds', { webhookIds: [] }],
    ['readOnly', { readOnly: 'yes' }],
  ])('refuses a bad %s with 400 naming it', async (field, body) => {
    const error = expectError(await t.call('POST', '/api/v1/portal-sessions', { body }), 400);
    expect(error.details?.map((detail) => detail.field)).toContain(field);
  });

  it("needs an admin key for another workspace's portal", async () => {
    const other = await t.call('POST', '/api/v1/workspaces', { body: { name: 'portal-other' } });
    const key = (await t.call('POST', `/api/v1/workspaces/${other.body.id}/keys`, { body: {} })).body.key;
    const refused = await t.call('POST', '/api/v1/portal-sessions', { key, body: { workspaceId: t.workspaceId } });
    expect(expectError(refused, 403).code).toBe('HOOKD_ERR_FORBIDDEN');
    const made = await t.call('POST', '/api/v1/portal-sessions', { body: { workspaceId: other.body.id } });
    expect(made.status).toBe(201);
    const listed = await t.call('GET', '/api/v1/webhooks', asPortal(made.body.token));
    expect(listed.body.data).toEqual([]);
  });
});

describe('a link for one webhook', () => {
  it("sees that webhook, its deliveries and attempts, and nothing of another's on any route", async () => {
    const token = await portal({ webhookIds: [w1.id] });
    const listed = await t.call('GET', '/api/v1/webhooks', asPortal(token));
    expect(listed.body.data.map((webhook: { id: string }) => webhook.id)).toEqual([w1.id]);
    for (const path of [`/webhooks/${w1.id}`, `/webhooks/${w1.id}/deliveries`, `/deliveries/${w1.delivery}/attempts`])
      expect((await t.call('GET', `/api/v1${path}`, asPortal(token))).status, path).toBe(200);

    const before = await snapshot();
    const answers = await callEveryRoute(token, () => true);
    const wrong: string[] = [];
    for (const { operation, status, text } of answers) {
      const allowed = ANSWERED_FOR_ANY_LINK.has(operation.label)
        ? [200]
        : operation.label === LOGIN
          ? [401]
          : [403, 404];
      if (!allowed.includes(status)) wrong.push(`${operation.label}: ${status} ${text.slice(0, 160)}`);
      // (Its ids may come back in a 404's message: the caller sent them.)
      for (const secret of [w2.secret, w2.url, 'w2-private-description'])
        if (text.includes(secret)) wrong.push(`${operation.label}: shows ${secret}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('a read-only link', () => {
  it('changes nothing on any route: every method but GET answers 403', async () => {
    const token = await portal({ readOnly: true });
    const before = await snapshot();
    const answers = await callEveryRoute(token, (operation) => operation.method !== 'GET' && operation.label !== LOGIN);
    expect(answers.length).toBeGreaterThan(10);
    expect(answers.filter((answer) => answer.status !== 403).map((answer) => answer.operation.label)).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect((await t.call('GET', `/api/v1/deliveries/${w2.delivery}/attempts`, asPortal(token))).status).toBe(200);
  });
});

describe('what no link can do', () => {
  it('publish, make links, manage keys, workspaces or event types, or log the dashboard in', async () => {
    const token = await portal({});
    const refused = [
      ['POST', '/api/v1/events', { type: 'order.paid', data: {} }],
      ['POST', '/api/v1/portal-sessions', {}],
      ['POST', `/api/v1/workspaces/${t.workspaceId}/keys`, {}],
      ['GET', '/api/v1/workspaces', undefined],
      ['POST', '/api/v1/event-types', { name: 'by.portal' }],
      ['DELETE', '/api/v1/event-types/order.paid', undefined],
    ] as const;
    for (const [method, path, body] of refused) {
      const result = await t.call(method, path, { ...asPortal(token), ...(body ? { body } : {}) });
      expect(result.status, `${method} ${path}`).toBe(403);
    }
    const login = await t.call('POST', '/api/v1/dashboard/session', { key: null, body: { apiKey: token } });
    expect(expectError(login, 401).code).toBe('HOOKD_ERR_UNAUTHORIZED');
    // A link for the whole workspace may create webhooks, as the workspace's own page would.
    const made = await t.call('POST', '/api/v1/webhooks', {
      ...asPortal(token),
      body: { url: receiver.url, events: ['x.y'] },
    });
    expect(made.status).toBe(201);
    expect((await t.call('DELETE', `/api/v1/webhooks/${made.body.id}`, asPortal(token))).status).toBe(204);
  });

  it('see anything once expired, or with a forged token', async () => {
    const token = await portal({ expiresIn: '5m' });
    expect((await t.call('GET', '/api/v1/webhooks', asPortal(token))).status).toBe(200);
    nowMs += 5 * 60_000;
    for (const dead of [token, `hps_${'A'.repeat(43)}`, `${token.slice(0, -1)}x`]) {
      const result = await t.call('GET', '/api/v1/webhooks', asPortal(dead));
      expect(expectError(result, 401).code).toBe('HOOKD_ERR_UNAUTHORIZED');
    }
  });
});
