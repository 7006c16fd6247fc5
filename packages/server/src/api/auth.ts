// Resolves each /api/v1 request to its caller (see resolve-caller.ts): no credential, or a wrong one, is a 401.
// Applies the request limits (per caller, and failed authentications per address), notes when each key was last
// used, lets admin keys act in another workspace (Hookd-Workspace), and holds portal links to their scope.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HookdError } from '../domain/errors.js';
import { ApiKeyUseRecorder } from '../services/api-key-use.js';
import type { Caller } from '../services/api-keys.js';
import type { MonotonicClock, ServiceDeps } from '../services/deps.js';
import { requirePortalAccess } from './portal-access.js';
import type { RequestLimits } from './request-limits.js';
import { NotAuthenticated, resolveCaller } from './resolve-caller.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

export interface AuthOptions {
  /** Shared with the dashboard's login, whose bad keys count toward the same failures. */
  requestLimits: RequestLimits;
  /** `--public-url`: an Origin the dashboard's requests may come from besides the request's own. */
  publicUrl: string | undefined;
}

/** Adds the check to every route of `scope` (runs before the body is read, so strangers cannot make us parse it). */
export function requireApiKey(
  scope: FastifyInstance,
  deps: ServiceDeps & { monotonicClock: MonotonicClock },
  options: AuthOptions,
): void {
  const { requestLimits } = options;
  const keyUse = new ApiKeyUseRecorder(deps, (error, keyId) =>
    scope.log.warn({ err: error, keyId }, 'could not record when an API key was last used'),
  );
  scope.decorateRequest('caller', null as unknown as Caller);
  scope.addHook('onRequest', async (request) => {
    // Monotonic, not the dated clock: limits are about this process's real pace.
    const nowMs = deps.monotonicClock();
    requestLimits.checkAddress(request.ip, nowMs);
    let caller: Caller;
    try {
      caller = await resolveCaller(request, deps, options.publicUrl);
    } catch (error) {
      if (error instanceof NotAuthenticated) requestLimits.authenticationFailed(request.ip, nowMs);
      throw error;
    }
    requestLimits.takeForKey(caller.keyId, nowMs);
    if (caller.via === undefined) keyUse.used(caller);
    request.caller = await inNamedWorkspace(request, deps, caller);
    await requirePortalAccess(request, deps);
  });
}

/** The caller acting in the workspace the Hookd-Workspace header names: an admin's right, or a no-op for its own. */
async function inNamedWorkspace(request: FastifyRequest, deps: ServiceDeps, caller: Caller): Promise<Caller> {
  const named = request.headers['hookd-workspace'];
  if (named === undefined || named === caller.workspaceId) return caller;
  if (!caller.admin)
    throw new HookdError('HOOKD_ERR_FORBIDDEN', 'Hookd-Workspace: only an admin key acts in another workspace');
  const workspace = typeof named === 'string' && named.length <= 64 ? await deps.store.getWorkspace(named) : undefined;
  if (!workspace)
    throw new HookdError('HOOKD_ERR_WORKSPACE_NOT_FOUND', `Hookd-Workspace: no workspace ${String(named)}`);
  return { ...caller, workspaceId: workspace.id };
}

export function requireAdmin(request: FastifyRequest): void {
  if (!request.caller.admin) throw new HookdError('HOOKD_ERR_FORBIDDEN', 'this needs an admin API key');
}
