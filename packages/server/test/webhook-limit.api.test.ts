// A workspace holds at most --max-webhooks-per-workspace webhooks, since every publish matches each of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ maxWebhooksPerWorkspace: 3 });
});
afterAll(async () => t.close());

const createWebhook = (key?: string) =>
  t.call('POST', '/api/v1/webhooks', {
    ...(key !== undefined ? { key } : {}),
    body: { url: 'https://example.com/hooks', filter: { nomatch: 1 } },
  });

describe('the webhook limit of a workspace', () => {
  it('refuses a webhook past the limit with 409 naming it, counts per workspace, and takes one again after a delete', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const created = await createWebhook();
      expect(created.status).toBe(201);
      ids.push((created.body as { id: string }).id);
    }
    const refused = expectError(await createWebhook(), 409);
    expect(refused.code).toBe('HOOKD_ERR_CONFLICT');
    expect(refused.message).toContain('limit of 3 webhooks (--max-webhooks-per-workspace)');
    expect((await t.call('GET', '/api/v1/webhooks?limit=100')).body.data).toHaveLength(3);

    const other = await t.call('POST', '/api/v1/workspaces', { body: { name: 'other-tenant' } });
    const issued = await t.call('POST', `/api/v1/workspaces/${(other.body as { id: string }).id}/keys`, {
      body: { name: 'other-app' },
    });
    expect((await createWebhook((issued.body as { key: string }).key)).status).toBe(201);

    expect((await t.call('DELETE', `/api/v1/webhooks/${ids[0]}`)).status).toBe(204);
    expect((await createWebhook()).status).toBe(201);
    expectError(await createWebhook(), 409);
  });
});
