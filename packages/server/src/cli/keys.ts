// `hookd keys create`: issue an API key straight into the database (for when no admin key is at hand).
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import { DEFAULT_WORKSPACE_NAME } from '../domain/workspace.js';
import { issueApiKey } from '../services/api-keys.js';
import { findOrCreateDefaultWorkspace } from '../services/bootstrap.js';
import type { StoreDeps } from '../services/deps.js';
import { migrateStore, openStore } from '../runtime/open-store.js';

export interface KeysCreateOptions {
  workspace: string | undefined;
  name: string | undefined;
  admin: boolean;
}

export async function keysCreateCommand(config: Config, options: KeysCreateOptions): Promise<void> {
  const store = await openStore(config.database);
  try {
    await migrateStore(store, config.database);
    const deps: StoreDeps = { store, clock: () => new Date() };
    const wanted = options.workspace ?? DEFAULT_WORKSPACE_NAME;
    const workspace =
      wanted === DEFAULT_WORKSPACE_NAME
        ? await findOrCreateDefaultWorkspace(deps)
        : ((await store.getWorkspace(wanted)) ?? (await store.findWorkspaceByName(wanted)));
    if (!workspace) throw new ConfigError(`--workspace: no workspace with name or id "${wanted}"`);
    const { key, record } = await issueApiKey(deps, { workspaceId: workspace.id, name: options.name, admin: options.admin });
    process.stderr.write(`hookd: issued ${record.admin ? 'admin ' : ''}key ${record.id} for workspace "${workspace.name}" (${workspace.id}); it is shown only now:\n`);
    process.stdout.write(`${key}\n`);
  } finally {
    await store.close();
  }
}
