// First start: make sure the `default` workspace and an admin key exist.
import { DEFAULT_WORKSPACE_NAME, type Workspace } from '../domain/workspace.js';
import { authenticate, issueApiKey } from './api-keys.js';
import type { StoreDeps } from './deps.js';
import { createWorkspace } from './workspaces.js';

export interface BootstrapResult {
  workspace: Workspace;
  /** A key generated now, to be printed once; undefined when one was configured or an admin key already existed. */
  generatedAdminKey?: string;
}

export async function findOrCreateDefaultWorkspace(deps: StoreDeps): Promise<Workspace> {
  return (await deps.store.findWorkspaceByName(DEFAULT_WORKSPACE_NAME)) ?? (await createWorkspace(deps, { name: DEFAULT_WORKSPACE_NAME }));
}

/**
 * With a configured bootstrap key, make sure it is an admin key of the default workspace. Without one, generate
 * an admin key whenever none exists, so nobody is ever left without a way in (even if `hookd keys create` ran first).
 */
export async function ensureDefaultWorkspace(deps: StoreDeps, bootstrapKey: string | undefined): Promise<BootstrapResult> {
  const workspace = await findOrCreateDefaultWorkspace(deps);
  if (bootstrapKey !== undefined) {
    if (!(await authenticate(deps, bootstrapKey))) {
      await issueApiKey(deps, { workspaceId: workspace.id, name: 'bootstrap', admin: true, key: bootstrapKey });
    }
    return { workspace };
  }
  if (await deps.store.hasAdminKey()) return { workspace };
  const { key } = await issueApiKey(deps, { workspaceId: workspace.id, name: 'bootstrap', admin: true });
  return { workspace, generatedAdminKey: key };
}
