// Use cases for tenants: create, read, list, change.
import { HookdError, throwIfProblems } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { workspaceSettingsProblems, type Workspace, type WorkspaceSettings } from '../domain/workspace.js';
import type { Page, PageRequest } from '../store/store.js';
import { conflictAs } from './conflicts.js';
import type { StoreDeps } from './deps.js';

export type WorkspaceInput = Partial<WorkspaceSettings>;

function applyInput(base: WorkspaceSettings, input: WorkspaceInput): WorkspaceSettings {
  return {
    name: input.name ?? base.name,
    alertEmail: input.alertEmail !== undefined ? input.alertEmail : base.alertEmail,
    alertUrl: input.alertUrl !== undefined ? input.alertUrl : base.alertUrl,
    autoDisableAfter: input.autoDisableAfter !== undefined ? input.autoDisableAfter : base.autoDisableAfter,
    portalOrigins: input.portalOrigins ?? base.portalOrigins,
    accentColor: input.accentColor !== undefined ? input.accentColor : base.accentColor,
  };
}

export async function createWorkspace(deps: StoreDeps, input: WorkspaceInput & { name: string }): Promise<Workspace> {
  const settings = applyInput(
    {
      name: input.name,
      alertEmail: null,
      alertUrl: null,
      autoDisableAfter: null,
      portalOrigins: [],
      accentColor: null,
    },
    input,
  );
  throwIfProblems(workspaceSettingsProblems(settings));
  const now = deps.clock();
  const workspace: Workspace = { id: newId('ws', now.getTime()), ...settings, createdAt: now, updatedAt: now };
  await conflictAs(`a workspace named "${settings.name}" already exists`, () => deps.store.insertWorkspace(workspace));
  return workspace;
}

export async function getWorkspace(deps: StoreDeps, id: string): Promise<Workspace> {
  const workspace = await deps.store.getWorkspace(id);
  if (!workspace) throw new HookdError('HOOKD_ERR_WORKSPACE_NOT_FOUND', `no workspace ${id}`);
  return workspace;
}

export async function listWorkspaces(deps: StoreDeps, page: PageRequest): Promise<Page<Workspace>> {
  return deps.store.listWorkspaces(page);
}

export async function updateWorkspace(deps: StoreDeps, id: string, input: WorkspaceInput): Promise<Workspace> {
  const current = await getWorkspace(deps, id);
  const settings = applyInput(current, input);
  throwIfProblems(workspaceSettingsProblems(settings));
  const updated: Workspace = { ...current, ...settings, updatedAt: deps.clock() };
  await conflictAs(`a workspace named "${settings.name}" already exists`, () => deps.store.updateWorkspace(updated));
  return updated;
}
