// The Store contract for the dashboard (issue #17): browser sessions, the hourly attempt counts recorded with the
// attempts, and the workspace's portal settings. Registered beside runStoreConformance for every engine.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSessionToken, type BrowserSession } from '../../domain/browser-session.js';
import { newId } from '../../domain/ids.js';
import type { ApiKey } from '../../domain/workspace.js';
import type { Store } from '../store.js';
import { at, attemptRecord, claim, publishTo, seed, T0, workspace } from './fixtures.js';
import type { FreshStore } from './store-conformance.js';

const HOUR = 3_600_000;

function apiKey(workspaceId: string, admin: boolean): ApiKey {
  const id = newId('key');
  return {
    id,
    workspaceId,
    name: 'k',
    admin,
    lookup: id.slice(-16),
    hash: hashSessionToken(id),
    createdAt: T0,
    lastUsedAt: null,
  };
}

function session(workspaceId: string, overrides: Partial<BrowserSession> = {}): BrowserSession {
  return {
    id: newId('ses'),
    kind: 'dashboard',
    tokenHash: hashSessionToken(newId('ses')),
    workspaceId,
    apiKeyId: null,
    webhookIds: null,
    readOnly: false,
    createdAt: T0,
    expiresAt: at(HOUR),
    ...overrides,
  };
}

export function runDashboardStoreConformance(name: string, openFreshStore: () => Promise<FreshStore>): void {
  describe(`Store conformance, dashboard: ${name}`, () => {
    let fresh: FreshStore;
    let store: Store;
    beforeEach(async () => {
      fresh = await openFreshStore();
      store = fresh.store;
    });
    afterEach(async () => fresh.dispose());

    it("keeps a workspace's portal origins and accent colour", async () => {
      const space = {
        ...workspace(),
        portalOrigins: ['https://app.example.com', 'http://[::1]:8080'],
        accentColor: '#0a7cff',
      };
      await store.insertWorkspace(space);
      expect(await store.getWorkspace(space.id)).toEqual(space);
      const changed = { ...space, portalOrigins: [], accentColor: null, updatedAt: at(1) };
      await store.updateWorkspace(changed);
      expect(await store.getWorkspace(space.id)).toEqual(changed);
    });

    it('finds a live session by its token hash, with its key’s rights, until it expires or the key is revoked', async () => {
      const { workspaceId } = await seed(store);
      const admin = apiKey(workspaceId, true);
      const other = apiKey(workspaceId, true);
      await store.insertApiKey(admin);
      await store.insertApiKey(other);
      const dashboard = session(workspaceId, { apiKeyId: admin.id });
      await store.insertBrowserSession(dashboard);
      expect(await store.findLiveBrowserSession(dashboard.tokenHash, at(HOUR - 1))).toEqual({
        ...dashboard,
        admin: true,
      });
      expect(await store.findLiveBrowserSession(dashboard.tokenHash, at(HOUR))).toBeUndefined();
      expect(await store.findLiveBrowserSession(hashSessionToken('other'), T0)).toBeUndefined();

      await store.revokeApiKey({ id: admin.id, workspaceId, now: at(5), keepAnAdmin: true });
      expect(await store.findLiveBrowserSession(dashboard.tokenHash, at(6))).toBeUndefined();
    });

    it('keeps a portal session’s scope, deletes a session, and drops expired ones as new ones are made', async () => {
      const { workspaceId, webhooks } = await seed(store, {}, {});
      const portal = session(workspaceId, {
        kind: 'portal',
        webhookIds: [webhooks[1]!.id, webhooks[0]!.id],
        readOnly: true,
      });
      await store.insertBrowserSession(portal);
      expect(await store.findLiveBrowserSession(portal.tokenHash, T0)).toEqual({ ...portal, admin: false });
      expect(await store.deleteBrowserSession(portal.tokenHash)).toBe(true);
      expect(await store.deleteBrowserSession(portal.tokenHash)).toBe(false);
      expect(await store.findLiveBrowserSession(portal.tokenHash, T0)).toBeUndefined();

      const old = session(workspaceId, { kind: 'portal' });
      await store.insertBrowserSession(old);
      await store.insertBrowserSession(
        session(workspaceId, { kind: 'portal', createdAt: at(HOUR), expiresAt: at(2 * HOUR) }),
      );
      // Gone from the table, not only expired: a lookup "before" its expiry no longer finds it.
      expect(await store.findLiveBrowserSession(old.tokenHash, T0)).toBeUndefined();
    });

    it('counts recorded attempts by webhook, hour and outcome, only where the lease held', async () => {
      const { workspaceId, webhooks } = await seed(store, {}, {});
      const [first, second] = webhooks as [(typeof webhooks)[0], (typeof webhooks)[0]];
      await publishTo(store, workspaceId, first.id, 3);
      await publishTo(store, workspaceId, second.id, 1);
      const claimed = await claim(store);
      const ofFirst = claimed.filter((one) => one.webhook.id === first.id);
      const ofSecond = claimed.filter((one) => one.webhook.id === second.id);
      await store.recordAttempts(
        [
          attemptRecord(ofFirst[0]!, { status: 'success', at: at(10) }),
          attemptRecord(ofFirst[1]!, { status: 'pending', at: at(20), nextAttemptAt: at(HOUR) }),
          attemptRecord(ofSecond[0]!, { status: 'success', at: at(30) }),
        ],
        at(40),
      );
      // An hour later: one more success of the first webhook, and a record whose lease was lost (not counted).
      const [again] = await claim(store, { now: at(HOUR), excludeWebhookIds: [second.id] });
      await store.recordAttempts(
        [
          attemptRecord(again!, { status: 'success', at: at(HOUR + 1) }),
          attemptRecord({ ...ofFirst[2]!, leaseToken: 'lost' }, { status: 'success', at: at(HOUR + 2) }),
        ],
        at(HOUR + 3),
      );
      const hour0 = new Date(Math.floor(T0.getTime() / HOUR) * HOUR);
      const hour1 = new Date(hour0.getTime() + HOUR);
      const counts = await store.listHourlyCounts(workspaceId, [first.id, second.id], hour0);
      const sorted = [...counts].sort((a, b) =>
        `${a.webhookId}${a.hourStart.getTime()}`.localeCompare(`${b.webhookId}${b.hourStart.getTime()}`),
      );
      const expected = [
        { webhookId: first.id, hourStart: hour0, succeeded: 1, failed: 1 },
        { webhookId: first.id, hourStart: hour1, succeeded: 1, failed: 0 },
        { webhookId: second.id, hourStart: hour0, succeeded: 1, failed: 0 },
      ].sort((a, b) =>
        `${a.webhookId}${a.hourStart.getTime()}`.localeCompare(`${b.webhookId}${b.hourStart.getTime()}`),
      );
      expect(sorted).toEqual(expected);
      expect(await store.listHourlyCounts(workspaceId, [first.id], hour1)).toEqual([
        expected.find((c) => c.hourStart === hour1),
      ]);
      // Another workspace's id list finds nothing of this one's.
      const { workspaceId: otherWorkspace } = await seed(store);
      expect(await store.listHourlyCounts(otherWorkspace, [first.id, second.id], hour0)).toEqual([]);
      // A deleted webhook's counts go with it.
      await store.deleteWebhook(workspaceId, second.id);
      expect(await store.listHourlyCounts(workspaceId, [second.id], hour0)).toEqual([]);
    });

    it('deletes expired sessions in batches, oldest first, and no live one', async () => {
      const { workspaceId } = await seed(store);
      const expiries = [1, 2, 3, 5].map((hours) => at(hours * HOUR));
      const sessions = expiries.map((expiresAt) => session(workspaceId, { kind: 'portal', expiresAt }));
      // Inserted together at T0, so none deletes another on insert.
      for (const one of sessions) await store.insertBrowserSession(one);
      expect(await store.deleteExpiredBrowserSessions({ before: at(3 * HOUR), limit: 2 })).toBe(2);
      expect(await store.findLiveBrowserSession(sessions[2]!.tokenHash, at(3 * HOUR - 1))).toBeDefined();
      expect(await store.deleteExpiredBrowserSessions({ before: at(3 * HOUR), limit: 2 })).toBe(1);
      expect(await store.deleteExpiredBrowserSessions({ before: at(3 * HOUR), limit: 2 })).toBe(0);
      expect(await store.findLiveBrowserSession(sessions[2]!.tokenHash, at(3 * HOUR - 1))).toBeUndefined();
      expect(await store.findLiveBrowserSession(sessions[3]!.tokenHash, at(4 * HOUR))).toBeDefined();
    });

    it('deletes the hourly counts of hours before a time, in batches, and keeps the later ones', async () => {
      const { workspaceId, webhooks } = await seed(store, {}, {});
      const ids = webhooks.map((hook) => hook.id);
      await publishTo(store, workspaceId, ids[0]!, 3);
      await publishTo(store, workspaceId, ids[1]!, 3);
      const claimed = await claim(store);
      // Each webhook's three attempts in three hours: six rows of counts.
      const byHook = (id: string) => claimed.filter((one) => one.webhook.id === id);
      await store.recordAttempts(
        ids.flatMap((id) =>
          byHook(id).map((one, hour) => attemptRecord(one, { status: 'success', at: at(hour * HOUR) })),
        ),
        at(3 * HOUR),
      );
      const hour0 = new Date(Math.floor(T0.getTime() / HOUR) * HOUR);
      const before = new Date(hour0.getTime() + 2 * HOUR);
      expect(await store.deleteHourlyCountsBefore({ before, limit: 3 })).toBe(3);
      expect(await store.deleteHourlyCountsBefore({ before, limit: 3 })).toBe(1);
      expect(await store.deleteHourlyCountsBefore({ before, limit: 3 })).toBe(0);
      const left = await store.listHourlyCounts(workspaceId, ids, hour0);
      expect(left.map((count) => count.hourStart)).toEqual([before, before]);
    });
  });
}
