// The Store contract on the alert outbox: registered for each engine by runStoreConformance (store-conformance.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClaimedAlert } from '../../domain/alert.js';
import type { ClaimedDelivery } from '../../domain/delivery.js';
import type { Webhook } from '../../domain/webhook.js';
import type { Store } from '../store.js';
import { at, attemptRecord, claim, publishTo, T0, webhook, workspace } from './fixtures.js';
import type { StoreUnderTest } from './store-under-test.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYo=';

export function alertConformance(t: StoreUnderTest): void {
  let store: Store;
  beforeEach(() => {
    ({ store } = t);
  });

  /** A workspace with these alert channels and one webhook, and `count` deliveries to it claimed. */
  async function claimedDeliveries(
    channels: { alertEmail?: string; alertUrl?: string },
    count: number,
  ): Promise<{ workspaceId: string; hook: Webhook; claims: ClaimedDelivery[] }> {
    const space = { ...workspace(), alertEmail: channels.alertEmail ?? null, alertUrl: channels.alertUrl ?? null };
    await store.insertWorkspace(space);
    const hook = webhook(space.id, { description: 'orders to the shop' });
    await store.insertWebhook(hook);
    await publishTo(store, space.id, hook.id, count);
    return { workspaceId: space.id, hook, claims: await claim(store, { limit: count }) };
  }

  const claimAlerts = (options: { now?: Date; leaseMs?: number; limit?: number; leaseToken?: string } = {}) =>
    store.claimDueAlerts({
      now: options.now ?? T0,
      leaseMs: options.leaseMs ?? 60_000,
      limit: options.limit ?? 100,
      leaseToken: options.leaseToken ?? 'alert-lease',
    });
  const summary = (alerts: ClaimedAlert[]) => alerts.map((alert) => `${alert.type} ${alert.channel}`).sort();
  const failing = (claimed: ClaimedDelivery) => attemptRecord(claimed, { status: 'failed', webhookStatus: 'failing' });

  describe('alert outbox', () => {
    it('queues one alert per channel and state change, however many records say it', async () => {
      const { workspaceId, hook, claims } = await claimedDeliveries(
        { alertEmail: 'ops@example.com', alertUrl: 'https://ops.example.com/alerts' },
        12,
      );
      // Some in one batch, some in separate calls at once: one webhook.failing all the same.
      await store.recordAttempts(claims.slice(0, 6).map(failing), T0);
      await Promise.all(claims.slice(6, 10).map((one) => store.recordAttempts([failing(one)], T0)));
      const alerts = await claimAlerts();
      expect(summary(alerts)).toEqual(['webhook.failing email', 'webhook.failing url']);
      expect(alerts.find((alert) => alert.channel === 'email')).toMatchObject({
        workspaceId,
        webhookId: hook.id,
        target: 'ops@example.com',
        webhookUrl: hook.url,
        webhookDescription: 'orders to the shop',
        webhookStatus: 'failing',
        eventType: 'order.created',
        lastError: 'HTTP 503',
        attempts: 0,
      });
      expect(alerts.find((alert) => alert.channel === 'url')?.target).toBe('https://ops.example.com/alerts');
      expect(new Set(alerts.map((alert) => alert.id)).size).toBe(2);

      await store.recordAttempts([attemptRecord(claims[10]!, { status: 'success', webhookStatus: 'healthy' })], T0);
      expect(summary(await claimAlerts())).toEqual(['webhook.recovered email', 'webhook.recovered url']);
      await store.recordAttempts([attemptRecord(claims[11]!, { status: 'failed', webhookStatus: 'disabled' })], T0);
      expect(summary(await claimAlerts())).toEqual(['webhook.disabled email', 'webhook.disabled url']);
    });

    it('makes none for a state that does not change, nor out of disabled, nor for channels not set', async () => {
      const { claims } = await claimedDeliveries({ alertEmail: 'ops@example.com' }, 4);
      await store.recordAttempts([attemptRecord(claims[0]!, { status: 'success', webhookStatus: 'healthy' })], T0);
      expect(await claimAlerts()).toEqual([]);
      await store.recordAttempts([attemptRecord(claims[1]!, { status: 'failed', webhookStatus: 'disabled' })], T0);
      expect(summary(await claimAlerts())).toEqual(['webhook.disabled email']);
      await store.recordAttempts([attemptRecord(claims[2]!, { status: 'success', webhookStatus: 'healthy' })], T0);
      await store.recordAttempts([failing(claims[3]!)], T0);
      expect(await claimAlerts()).toEqual([]);

      const quiet = await claimedDeliveries({}, 1);
      await store.recordAttempts([failing(quiet.claims[0]!)], T0);
      expect(await claimAlerts()).toEqual([]);
    });

    it('holds a claimed alert for its lease; after it (a sender that died) it is claimed again', async () => {
      const { claims } = await claimedDeliveries({ alertEmail: 'ops@example.com' }, 1);
      await store.recordAttempts([failing(claims[0]!)], T0);
      const [first] = await claimAlerts({ leaseMs: 30_000, leaseToken: 'first' });
      expect(first?.leaseToken).toBe('first');
      expect(await claimAlerts({ now: at(29_999) })).toEqual([]);
      const [again] = await claimAlerts({ now: at(30_000), leaseToken: 'second' });
      expect(again?.id).toBe(first!.id);
      // The first holder's late outcome is dropped; the second's is written.
      await store.recordAlertOutcomes(
        [{ seq: first!.seq, leaseToken: 'first', status: 'sent', nextAttemptAt: null, error: null }],
        at(30_001),
      );
      expect(await claimAlerts({ now: at(90_000) })).toHaveLength(1);
    });

    it('takes back every leased alert at once (a restarted sole sender), due when it was if that was sooner', async () => {
      const { claims } = await claimedDeliveries({ alertEmail: 'ops@example.com', alertUrl: 'https://a.example' }, 1);
      await store.recordAttempts([failing(claims[0]!)], T0);
      const held = await claimAlerts({ leaseMs: 300_000, leaseToken: 'dead' });
      expect(held).toHaveLength(2);
      expect(await claimAlerts({ now: at(1) })).toEqual([]);
      expect(await store.releaseAlertLeases(at(2))).toBe(2);
      expect(await store.releaseAlertLeases(at(3))).toBe(0);
      const again = await claimAlerts({ now: at(2), leaseToken: 'alive' });
      expect(again.map((alert) => alert.id).sort()).toEqual(held.map((alert) => alert.id).sort());
      // The dead holder's outcome is dropped: the alert is the new holder's.
      await store.recordAlertOutcomes(
        [{ seq: held[0]!.seq, leaseToken: 'dead', status: 'sent', nextAttemptAt: null, error: null }],
        at(3),
      );
      expect(await store.releaseAlertLeases(at(4))).toBe(2);
    });

    it('retries a pending outcome when due, and never claims a sent or failed one again', async () => {
      const { claims } = await claimedDeliveries({ alertEmail: 'ops@example.com', alertUrl: 'https://a.example' }, 1);
      await store.recordAttempts([failing(claims[0]!)], T0);
      const [email, url] = (await claimAlerts()).sort((a, b) => a.channel.localeCompare(b.channel));
      await store.recordAlertOutcomes(
        [
          {
            seq: email!.seq,
            leaseToken: email!.leaseToken,
            status: 'pending',
            nextAttemptAt: at(60_000),
            error: 'down',
          },
          { seq: url!.seq, leaseToken: url!.leaseToken, status: 'sent', nextAttemptAt: null, error: null },
        ],
        at(1),
      );
      expect(await claimAlerts({ now: at(59_999) })).toEqual([]);
      const [retried] = await claimAlerts({ now: at(60_000), leaseToken: 'retry' });
      expect(retried).toMatchObject({ id: email!.id, attempts: 1 });
      await store.recordAlertOutcomes(
        [{ seq: retried!.seq, leaseToken: 'retry', status: 'failed', nextAttemptAt: null, error: 'gave up' }],
        at(60_001),
      );
      expect(await claimAlerts({ now: at(86_400_000) })).toEqual([]);
    });

    it("sets a workspace's alert secret once, or again when asked, and claimed alerts carry it as stored", async () => {
      const { workspaceId, claims } = await claimedDeliveries({ alertUrl: 'https://ops.example.com/alerts' }, 1);
      expect(await store.setAlertSecret(workspaceId, SECRET, { onlyIfUnset: true })).toBe(true);
      expect(await store.setAlertSecret(workspaceId, 'whsec_other', { onlyIfUnset: true })).toBe(false);
      expect(await store.setAlertSecret('ws_missing', SECRET, { onlyIfUnset: false })).toBe(false);
      await store.recordAttempts([failing(claims[0]!)], T0);
      const [alert] = await claimAlerts();
      // Stored as it is, or sealed by a store that encrypts secrets: never another secret.
      expect(alert!.alertSecret === SECRET || alert!.alertSecret!.startsWith('enc:v1:')).toBe(true);
      expect(await store.setAlertSecret(workspaceId, 'whsec_rotated', { onlyIfUnset: false })).toBe(true);
    });

    it('prunes alerts sent or given up before the cut-off, never a pending one', async () => {
      const { claims } = await claimedDeliveries({ alertEmail: 'ops@example.com', alertUrl: 'https://a.example' }, 1);
      await store.recordAttempts([failing(claims[0]!)], T0);
      const [email, url] = (await claimAlerts()).sort((a, b) => a.channel.localeCompare(b.channel));
      await store.recordAlertOutcomes(
        [
          { seq: email!.seq, leaseToken: email!.leaseToken, status: 'sent', nextAttemptAt: null, error: null },
          { seq: url!.seq, leaseToken: url!.leaseToken, status: 'pending', nextAttemptAt: at(1_000), error: 'down' },
        ],
        at(10),
      );
      expect(await store.deleteFinishedAlerts({ before: at(10), afterSeq: 0, limit: 100 })).toMatchObject({
        deleted: 0,
      });
      const batch = await store.deleteFinishedAlerts({ before: at(11), afterSeq: 0, limit: 100 });
      expect(batch).toMatchObject({ deleted: 1, reachedRecent: true });
      // The pending one is still there, and due at its time.
      expect((await claimAlerts({ now: at(1_000) })).map((alert) => alert.id)).toEqual([url!.id]);
    });

    it('lists stored alert secrets page by page and replaces one only where it still holds what was read', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const space = workspace();
        await store.insertWorkspace(space);
        await store.setAlertSecret(space.id, `${SECRET}${i}`, { onlyIfUnset: true });
        ids.push(space.id);
      }
      await store.insertWorkspace(workspace());
      const first = await store.listStoredAlertSecrets({ limit: 2 });
      const second = await store.listStoredAlertSecrets({ limit: 2, cursor: first.nextCursor! });
      const listed = [...first.data, ...second.data];
      expect(second.nextCursor).toBeNull();
      expect(listed.map((row) => row.workspaceId)).toEqual([...ids].sort());
      const [one, two] = listed;
      await store.setAlertSecret(two!.workspaceId, 'whsec_rotated_meanwhile', { onlyIfUnset: false });
      const written = await store.replaceStoredAlertSecrets([
        { expected: one!, replacement: { ...one!, alertSecret: 'resealed-1' } },
        { expected: two!, replacement: { ...two!, alertSecret: 'resealed-2' } },
      ]);
      expect(written).toBe(1);
      const after = (await store.listStoredAlertSecrets({ limit: 10 })).data;
      expect(after.find((row) => row.workspaceId === one!.workspaceId)?.alertSecret).toBe('resealed-1');
      expect(after.find((row) => row.workspaceId === two!.workspaceId)?.alertSecret).not.toBe('resealed-2');
    });
  });
}
