// `hookd keys create|list|revoke`: API keys straight in the database (for when no admin key is at hand).
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import { DEFAULT_WORKSPACE_NAME, type ApiKey, type Workspace } from '../domain/workspace.js';
import { issueApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.js';
import { findOrCreateDefaultWorkspace } from '../services/bootstrap.js';
import type { StoreDeps } from '../services/deps.js';
import { migrateStore, openStore } from '../runtime/open-store.js';
import { table } from './table.js';

export interface KeysCreateOptions {
  workspace: string | undefined;
  name: string | undefined;
  admin: boolean;
}

async function withStore(config: Config, run: (deps: StoreDeps) => Promise<void>): Promise<void> {
  const store = await openStore(config.database);
  try {
    await migrateStore(store, config.database);
    await run({ store, clock: () => new Date() });
  } finally {
    await store.close();
  }
}

/** The workspace named by --workspace (name or id); with `makeDefault`, `default` is made if missing, as on first start. */
async function workspaceNamed(deps: StoreDeps, wanted: string | undefined, makeDefault: boolean): Promise<Workspace> {
  const nameOrId = wanted ?? DEFAULT_WORKSPACE_NAME;
  const workspace =
    nameOrId === DEFAULT_WORKSPACE_NAME && makeDefault
      ? await findOrCreateDefaultWorkspace(deps)
      : ((await deps.store.getWorkspace(nameOrId)) ?? (await deps.store.findWorkspaceByName(nameOrId)));
  if (!workspace) throw new ConfigError(`--workspace: no workspace with name or id "${nameOrId}"`);
  return workspace;
}

export async function keysCreateCommand(config: Config, options: KeysCreateOptions): Promise<void> {
  await withStore(config, async (deps) => {
    const workspace = await workspaceNamed(deps, options.workspace, true);
    const { key, record } = await issueApiKey(deps, {
      workspaceId: workspace.id,
      name: options.name,
      admin: options.admin,
    });
    process.stderr.write(
      `hookd: issued ${record.admin ? 'admin ' : ''}key ${record.id} for workspace "${workspace.name}" (${workspace.id}); it is shown only now:\n`,
    );
    process.stdout.write(`${key}\n`);
  });
}

/** Every key of the workspace that is not revoked: ids, names and times, never a key (only hashes are stored). */
export async function keysListCommand(config: Config, options: { workspace: string | undefined }): Promise<void> {
  await withStore(config, async (deps) => {
    const workspace = await workspaceNamed(deps, options.workspace, false);
    const keys: ApiKey[] = [];
    let cursor: string | undefined;
    do {
      const page = await listApiKeys(deps, workspace.id, { limit: 100, cursor });
      keys.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    const rows = keys.map((key) => [
      key.id,
      key.name,
      key.admin ? 'admin' : '',
      key.createdAt.toISOString(),
      key.lastUsedAt?.toISOString() ?? 'never',
    ]);
    process.stdout.write(table(['ID', 'NAME', 'ADMIN', 'CREATED', 'LAST USED'], rows));
  });
}

/** Revokes a key of any workspace, even the last admin key (whoever runs this can issue another with `keys create`). */
export async function keysRevokeCommand(config: Config, keyId: string): Promise<void> {
  await withStore(config, async (deps) => {
    await revokeApiKey(deps, { keyId, keepAnAdmin: false });
    const warning = (await deps.store.hasAdminKey())
      ? ''
      : ' No admin key is left: "hookd keys create --admin" issues one (so does the next start).';
    process.stderr.write(`hookd: revoked key ${keyId}.${warning}\n`);
  });
}
