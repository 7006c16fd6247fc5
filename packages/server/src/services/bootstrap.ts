// First start: make sure the `default` workspace and an admin key for it exist.
import { DEFAULT_WORKSPACE_NAME, type Workspace } from '../domain/workspace.js';
import { authenticate, issueApiKey } from './api-keys.js';
import type { ServiceDeps } from './deps.js';
import { createWorkspace } from './workspaces.js';

export interface BootstrapResult {
  workspace: Workspace;
  /** A key generated now, to be printed once; undefined when one was configured or already existed. */
  generatedAdminKey?: string;
}

export async function ensureDefaultWorkspace(deps: ServiceDeps, bootstrapKey: string | undefined): Promise<BootstrapResult> {
  const existing = await deps.store.findWorkspaceByName(DEFAULT_WORKSPACE_NAME);
  const workspace = existing ?? (await createWorkspace(deps, { name: DEFAULT_WORKSPACE_NAME }));
  if (bootstrapKey !== undefined) {
    if (!(await authenticate(deps, bootstrapKey))) {
      await issueApiKey(deps, { workspaceId: workspace.id, name: 'bootstrap', admin: true, key: bootstrapKey });
    }
    return { workspace };
  }
  if (existing) return { workspace };
  const { key } = await issueApiKey(deps, { workspaceId: workspace.id, name: 'bootstrap', admin: true });
  return { workspace, generatedAdminKey: key };
}
