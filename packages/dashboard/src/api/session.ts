// Who is using the dashboard: a browser session opened with an API key (an HttpOnly cookie the page's scripts never
// see, plus a CSRF token kept in memory only), or a portal link's short-lived token (kept for this tab only).
import { requestJson, setCredentials } from './client';

export interface Session {
  workspace: { id: string; name: string; accentColor?: string | null };
  admin: boolean;
  expiresAt: string;
  csrfToken: string | null;
  readOnly: boolean;
  /** A portal link limited to some webhooks; null: all of the workspace's. */
  webhookIds: string[] | null;
  /** Set here, not by the server: this session came from a portal link. */
  portal?: boolean;
}

const PORTAL_TOKEN_KEY = 'hookd.portalToken';
const SESSION_PATH = '/api/v1/dashboard/session';

export function isPortal(): boolean {
  return location.pathname === '/portal';
}

/**
 * A portal link carries its token in the fragment (#token=hps_…), which never reaches a server log. It is moved at
 * once into sessionStorage (this tab only, gone when it closes) and out of the address bar and history.
 */
function takePortalToken(): string | undefined {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(PORTAL_TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search + '#/');
  }
  return sessionStorage.getItem(PORTAL_TOKEN_KEY) ?? undefined;
}

/** The current session, or undefined when there is none (no cookie, expired, or a dead portal token). */
export async function loadSession(): Promise<Session | undefined> {
  const portalToken = isPortal() ? takePortalToken() : undefined;
  if (isPortal() && !portalToken) return undefined;
  setCredentials({ portalToken });
  try {
    const session = await requestJson<Session>('GET', SESSION_PATH);
    setCredentials({ portalToken, csrfToken: session.csrfToken });
    return { ...session, portal: isPortal() };
  } catch {
    return undefined;
  }
}

export async function logIn(apiKey: string): Promise<Session> {
  setCredentials({});
  const session = await requestJson<Session>('POST', SESSION_PATH, { apiKey });
  setCredentials({ csrfToken: session.csrfToken });
  return { ...session, portal: false };
}

export async function logOut(): Promise<void> {
  await requestJson<void>('DELETE', SESSION_PATH).catch(() => undefined);
  setCredentials({});
}

/** An admin acting in another workspace: every later call names it (the Hookd-Workspace header). */
export function actInWorkspace(session: Session, workspaceId: string): void {
  setCredentials({
    csrfToken: session.csrfToken,
    workspaceId: workspaceId === session.workspace.id ? undefined : workspaceId,
  });
}
