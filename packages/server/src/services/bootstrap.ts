// First start: make sure the `default` workspace and an admin key exist.
import { HookdError } from '../domain/errors.js';
import { DEFAULT_WORKSPACE_NAME, type Workspace } from '../domain/workspace.js';
import { UniqueViolation } from '../store/store.js';
import { authenticate, issueApiKey } from './api-keys.js';
import type { StoreDeps } from './deps.js';
import { createWorkspace } from './workspaces.js';

export interface BootstrapResult {
  workspace: Workspace;
  /** A key generated now, to be printed once; undefined when one was configured or an admin key already existed. */
  generatedAdminKey?: string;
}

export async function findOrCreateDefaultWorkspace(deps: StoreDeps): Promise<Workspace> {
  return (
    (await deps.store.findWorkspaceByName(DEFAULT_WORKSPACE_NAME)) ??
    (await createWorkspace(deps, { name: DEFAULT_WORKSPACE_NAME }))
  );
}

/**
 * With a configured bootstrap key, make sure it is an admin key of the default workspace. Without one, generate
 * an admin key whenever none exists, so nobody is ever left without a way in (even if `hookd keys create` ran first).
 */
export async function ensureDefaultWorkspace(
  deps: StoreDeps,
  bootstrapKey: string | undefined,
): Promise<BootstrapResult> {
  const workspace = await findOrCreateDefaultWorkspace(deps);
  if (bootstrapKey !== undefined) {
    if (!(await authenticate(deps, bootstrapKey))) await issueBootstrapKey(deps, workspace, bootstrapKey);
    return { workspace };
  }
  if (await deps.store.hasAdminKey()) return { workspace };
  const { key } = await issueApiKey(deps, { workspaceId: workspace.id, name: 'bootstrap', admin: true });
  return { workspace, generatedAdminKey: key };
}

/** A revoked bootstrap key is not brought back to life by the next start: that would undo the revocation. */
async function issueBootstrapKey(deps: StoreDeps, workspace: Workspace, bootstrapKey: string): Promise<void> {
  try {
    await issueApiKey(deps, { workspaceId: workspace.id, name: 'bootstrap', admin: true, key: bootstrapKey });
  } catch (error) {
    // Its hash is taken: another process starting at the same moment issued it (then it works now), or it was revoked.
    if (!(error instanceof UniqueViolation) || (await authenticate(deps, bootstrapKey))) {
      if (error instanceof UniqueViolation) return;
      throw error;
    }
    throw new HookdError(
      'HOOKD_ERR_CONFLICT',
      'the bootstrap key (--bootstrap-key, HOOKD_BOOTSTRAP_API_KEY) was revoked and stays refused: set another key, or unset it',
    );
  }
}
