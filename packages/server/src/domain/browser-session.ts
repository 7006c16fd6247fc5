// Sessions held by browsers: a dashboard login (a cookie standing for an API key) or a portal link (a bearer token
// scoped to one workspace, perhaps to some of its webhooks, perhaps read-only). Only a hash of each token is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type BrowserSessionKind = 'dashboard' | 'portal';

export interface BrowserSession {
  /** `ses_…`: names the session in logs and request limits; never a credential. */
  id: string;
  kind: BrowserSessionKind;
  /** SHA-256 of the token, hex. */
  tokenHash: string;
  workspaceId: string;
  /** The API key a dashboard session was opened with: revoking it ends the session. null for portal sessions. */
  apiKeyId: string | null;
  /** Portal: the only webhooks it sees; null: all of the workspace's. */
  webhookIds: string[] | null;
  /** Portal: may only read. */
  readOnly: boolean;
  createdAt: Date;
  expiresAt: Date;
}

/** A session as found for a request: live, and (for a dashboard session) its key's rights. */
export interface LiveBrowserSession extends BrowserSession {
  /** The dashboard session's key is an admin key; always false for a portal session. */
  admin: boolean;
}

export const DASHBOARD_TOKEN_PREFIX = 'hds_';
export const PORTAL_TOKEN_PREFIX = 'hps_';

/** A new token: 256 random bits, so a fast hash is enough to store it (as for API keys). */
export function generateSessionToken(kind: BrowserSessionKind): string {
  const prefix = kind === 'portal' ? PORTAL_TOKEN_PREFIX : DASHBOARD_TOKEN_PREFIX;
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The CSRF token of a dashboard session, derived from its cookie so nothing more is stored: a page of another origin
 * cannot read the HttpOnly cookie, so it cannot compute this either.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update(`hookd-csrf\u0000${sessionToken}`, 'utf8').digest('base64url');
}

export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
