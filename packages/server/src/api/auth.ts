// Resolves the API key of each /api/v1 request to its caller; no key, or a wrong one, is a 401. Applies the
// request limits (per key, and failed authentications per address) and notes when each key was last used.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HookdError } from '../domain/errors.js';
import { ApiKeyUseRecorder } from '../services/api-key-use.js';
import { authenticate, type Caller } from '../services/api-keys.js';
import type { MonotonicClock, ServiceDeps } from '../services/deps.js';
import { RequestLimits, type ApiLimits } from './request-limits.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  // Another Authorization scheme (a proxy's Basic credentials, say) does not hide an X-API-Key.
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

/** Adds the check to every route of `scope` (runs before the body is read, so strangers cannot make us parse it). */
export function requireApiKey(
  scope: FastifyInstance,
  deps: ServiceDeps & { monotonicClock: MonotonicClock },
  limits: ApiLimits,
): void {
  const requestLimits = new RequestLimits(limits);
  const keyUse = new ApiKeyUseRecorder(deps, (error, keyId) =>
    scope.log.warn({ err: error, keyId }, 'could not record when an API key was last used'),
  );
  scope.decorateRequest('caller', null as unknown as Caller);
  scope.addHook('onRequest', async (request) => {
    // Monotonic, not the dated clock: limits are about this process's real pace.
    const nowMs = deps.monotonicClock();
    requestLimits.checkAddress(request.ip, nowMs);
    const key = presentedKey(request);
    if (key === undefined) {
      requestLimits.authenticationFailed(request.ip, nowMs);
      throw new HookdError(
        'HOOKD_ERR_UNAUTHORIZED',
        'missing API key: send "Authorization: Bearer <key>" or "X-API-Key: <key>"',
      );
    }
    const caller = await authenticate(deps, key);
    if (!caller) {
      requestLimits.authenticationFailed(request.ip, nowMs);
      throw new HookdError('HOOKD_ERR_UNAUTHORIZED', 'invalid API key');
    }
    requestLimits.takeForKey(caller.keyId, nowMs);
    keyUse.used(caller);
    request.caller = caller;
  });
}

export function requireAdmin(request: FastifyRequest): void {
  if (!request.caller.admin) throw new HookdError('HOOKD_ERR_FORBIDDEN', 'this needs an admin API key');
}
