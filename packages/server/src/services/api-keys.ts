// Issuing, listing and revoking API keys, and resolving a presented key to its workspace.
import { HookdError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { generateApiKey, hashApiKey, sameHash } from '../domain/secrets.js';
import type { ApiKey } from '../domain/workspace.js';
import type { Page, PageRequest } from '../store/store.js';
import type { StoreDeps } from './deps.js';

export interface Caller {
  /** The API key's id (also for a dashboard session opened with it); a portal session's own id (`ses_…`). */
  keyId: string;
  workspaceId: string;
  admin: boolean;
  /** As stored when the key was read (at most a minute old, see api-key-use.ts); null: never, or not known. */
  lastUsedAt: Date | null;
  /** How the caller proved who it is; undefined: an API key. */
  via?: 'dashboard' | 'portal';
  /** When the dashboard or portal session ends; undefined for an API key. */
  sessionExpiresAt?: Date;
  /** What a portal session may see and do; undefined for every other caller. */
  portal?: PortalScope;
}

export interface PortalScope {
  /** The only webhooks it sees; null: every webhook of its workspace. */
  webhookIds: string[] | null;
  readOnly: boolean;
}

export interface IssuedKey {
  /** The key itself: shown once, stored only as a hash. */
  key: string;
  record: ApiKey;
}

export async function issueApiKey(
  deps: StoreDeps,
  input: { workspaceId: string; name?: string | undefined; admin?: boolean | undefined; key?: string | undefined },
): Promise<IssuedKey> {
  const key = input.key ?? generateApiKey();
  const { lookup, hash } = hashApiKey(key);
  const createdAt = deps.clock();
  const record: ApiKey = {
    // Its time part is its creation time, so that lists by id are newest first by the same clock.
    id: newId('key', createdAt.getTime()),
    workspaceId: input.workspaceId,
    name: input.name ?? '',
    admin: input.admin ?? false,
    lookup,
    hash,
    createdAt,
    lastUsedAt: null,
  };
  await deps.store.insertApiKey(record);
  return { key, record };
}

/** The caller a presented key belongs to, or undefined. The full hash is compared in constant time. */
export async function authenticate(deps: StoreDeps, presented: string): Promise<Caller | undefined> {
  const { lookup, hash } = hashApiKey(presented);
  const candidates = await deps.store.findApiKeysByLookup(lookup);
  const match = candidates.find((candidate) => sameHash(candidate.hash, hash));
  return match && { keyId: match.id, workspaceId: match.workspaceId, admin: match.admin, lastUsedAt: match.lastUsedAt };
}

/** A workspace's keys that are not revoked; only their hashes are stored, so nothing here can give a key away. */
export async function listApiKeys(deps: StoreDeps, workspaceId: string, page: PageRequest): Promise<Page<ApiKey>> {
  return deps.store.listApiKeys(workspaceId, page);
}

/**
 * Revokes a key: refused from the next request on. `workspaceId` undefined: whichever workspace holds it (the CLI).
 * `keepAnAdmin` (the API) refuses to revoke the only admin key left, which would leave nobody able to issue keys
 * except someone with the database at hand (`hookd keys create --admin`).
 */
export async function revokeApiKey(
  deps: StoreDeps,
  input: { workspaceId?: string | undefined; keyId: string; keepAnAdmin: boolean },
): Promise<void> {
  const outcome = await deps.store.revokeApiKey({
    id: input.keyId,
    workspaceId: input.workspaceId,
    now: deps.clock(),
    keepAnAdmin: input.keepAnAdmin,
  });
  if (outcome === 'not-found')
    throw new HookdError(
      'HOOKD_ERR_NOT_FOUND',
      `no API key "${input.keyId}"${input.workspaceId ? ' in this workspace' : ''} (or it is revoked already)`,
    );
  if (outcome === 'last-admin') {
    throw new HookdError(
      'HOOKD_ERR_CONFLICT',
      `API key "${input.keyId}" is the only admin key left: issue another admin key first (or use "hookd keys revoke" on the server)`,
    );
  }
}
