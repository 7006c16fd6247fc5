// Who is calling: an API key (Authorization: Bearer hk_… or X-API-Key), a portal token (Bearer hps_…), or the
// dashboard's session cookie. A cookie is sent by the browser on its own, so a request it authenticates must also
// prove it comes from the dashboard's page: an X-CSRF-Token header (which only that page can know) on every method
// that changes something, and, when the browser says where it comes from (Origin), this very origin.
import type { FastifyRequest } from 'fastify';
import { csrfTokenOf, PORTAL_TOKEN_PREFIX, sameToken } from '../domain/browser-session.js';
import { HookdError } from '../domain/errors.js';
import { authenticate, type Caller } from '../services/api-keys.js';
import { callerOfSession, findSession } from '../services/browser-sessions.js';
import type { StoreDeps } from '../services/deps.js';
import { isOwnOrigin, sessionCookieOf } from './dashboard/session-cookie.js';

/** An authentication that failed: counted toward the address's limit of failures. */
export class NotAuthenticated extends HookdError {
  constructor(message: string) {
    super('HOOKD_ERR_UNAUTHORIZED', message);
  }
}

function presentedKey(request: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  // Another Authorization scheme (a proxy's Basic credentials, say) does not hide an X-API-Key.
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export async function resolveCaller(
  request: FastifyRequest,
  deps: StoreDeps,
  publicUrl: string | undefined,
): Promise<Caller> {
  const key = presentedKey(request);
  if (key?.startsWith(PORTAL_TOKEN_PREFIX)) {
    const session = await findSession(deps, key, 'portal');
    if (!session) throw new NotAuthenticated('this portal link has expired or is not valid: ask for a new one');
    return callerOfSession(session);
  }
  if (key !== undefined) {
    const caller = await authenticate(deps, key);
    if (!caller) throw new NotAuthenticated('invalid API key');
    return caller;
  }
  const cookie = sessionCookieOf(request);
  if (cookie === undefined)
    throw new NotAuthenticated('missing API key: send "Authorization: Bearer <key>" or "X-API-Key: <key>"');
  const session = await findSession(deps, cookie, 'dashboard');
  if (!session) throw new NotAuthenticated('the dashboard session has ended: log in again');
  requireSameOriginRequest(request, cookie, publicUrl);
  return callerOfSession(session);
}

function requireSameOriginRequest(request: FastifyRequest, cookie: string, publicUrl: string | undefined): void {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && !isOwnOrigin(request, origin, publicUrl))
    throw new HookdError('HOOKD_ERR_CSRF', `Origin ${origin} is not this server's: refused`);
  if (SAFE_METHODS.has(request.method)) return;
  const presented = request.headers['x-csrf-token'];
  if (typeof presented !== 'string' || !sameToken(presented, csrfTokenOf(cookie)))
    throw new HookdError(
      'HOOKD_ERR_CSRF',
      'missing or wrong X-CSRF-Token header: send the csrfToken of GET /api/v1/dashboard/session',
    );
}
