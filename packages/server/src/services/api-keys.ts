// Issuing API keys and resolving a presented key to its workspace.
import { newId } from '../domain/ids.js';
import { generateApiKey, hashApiKey, sameHash } from '../domain/secrets.js';
import type { ApiKey } from '../domain/workspace.js';
import type { StoreDeps } from './deps.js';

export interface Caller {
  keyId: string;
  workspaceId: string;
  admin: boolean;
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
  const record: ApiKey = {
    id: newId('key'),
    workspaceId: input.workspaceId,
    name: input.name ?? '',
    admin: input.admin ?? false,
    lookup,
    hash,
    createdAt: deps.clock(),
  };
  await deps.store.insertApiKey(record);
  return { key, record };
}

/** The caller a presented key belongs to, or undefined. The full hash is compared in constant time. */
export async function authenticate(deps: StoreDeps, presented: string): Promise<Caller | undefined> {
  const { lookup, hash } = hashApiKey(presented);
  const candidates = await deps.store.findApiKeysByLookup(lookup);
  const match = candidates.find((candidate) => sameHash(candidate.hash, hash));
  return match && { keyId: match.id, workspaceId: match.workspaceId, admin: match.admin };
}

