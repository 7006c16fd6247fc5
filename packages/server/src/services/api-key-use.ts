// "Last used" of API keys without a write per request: a key's use is written at most once a minute per process.
import type { Caller } from './api-keys.js';
import type { StoreDeps } from './deps.js';

/** How stale "last used" may be. A minute is what a person reading it needs ("in use today?"), and costs one write. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Only real keys get here (after authentication), so this bounds nothing an attacker controls; it is a backstop. */
const MAX_TRACKED_KEYS = 10_000;

export class ApiKeyUseRecorder {
  /** Key id → when this process last wrote its use (ms since epoch). */
  private readonly writtenAt = new Map<string, number>();

  constructor(
    private readonly deps: StoreDeps,
    private readonly onError: (error: Error, keyId: string) => void,
  ) {}

  /** Notes a request authenticated by `caller`; writes only when the stored time is over a minute old. */
  used(caller: Caller): void {
    const nowMs = this.deps.clock().getTime();
    const storedMs = caller.lastUsedAt?.getTime() ?? -Infinity;
    const writtenMs = this.writtenAt.get(caller.keyId) ?? -Infinity;
    if (nowMs - Math.max(storedMs, writtenMs) < LAST_USED_RESOLUTION_MS) return;
    if (this.writtenAt.size >= MAX_TRACKED_KEYS) this.writtenAt.clear();
    this.writtenAt.set(caller.keyId, nowMs);
    // Not awaited: the request does not wait for bookkeeping, and a failed write only leaves "last used" older.
    this.deps.store
      .recordApiKeyUse(caller.keyId, new Date(nowMs))
      .catch((error: unknown) => this.onError(error as Error, caller.keyId));
  }
}
