// A workspace's alert secret: it signs the operational events POSTed to its alertUrl (the Standard Webhooks scheme,
// as a webhook's "standard" secret). Shown once, when it is made; stored encrypted like webhook secrets.
import { HookdError } from '../domain/errors.js';
import { generateWebhookSecret } from '../domain/secrets.js';
import type { Workspace } from '../domain/workspace.js';
import type { StoreDeps } from './deps.js';

/**
 * Makes the workspace's alert secret when it has an alertUrl and no secret yet (the first time an alertUrl is set),
 * and answers it, to be shown this once; undefined otherwise. Checked and written atomically by the store, so two
 * requests at once cannot both show one.
 */
export async function issueAlertSecretIfNone(deps: StoreDeps, workspace: Workspace): Promise<string | undefined> {
  if (workspace.alertUrl === null) return undefined;
  const secret = generateWebhookSecret();
  return (await deps.store.setAlertSecret(workspace.id, secret, { onlyIfUnset: true })) ? secret : undefined;
}

/** A new alert secret for the workspace, replacing any, answered to be shown this once. */
export async function rotateAlertSecret(deps: StoreDeps, workspaceId: string): Promise<string> {
  const secret = generateWebhookSecret();
  if (!(await deps.store.setAlertSecret(workspaceId, secret, { onlyIfUnset: false })))
    throw new HookdError('HOOKD_ERR_WORKSPACE_NOT_FOUND', `no workspace ${workspaceId}`);
  return secret;
}
