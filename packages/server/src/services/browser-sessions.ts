// Opening, finding and ending browser sessions: a dashboard login made with an API key (a cookie stands for the key
// from then on), and portal links an API key hands out, scoped to a workspace and perhaps some of its webhooks.
import {
  generateSessionToken,
  hashSessionToken,
  type BrowserSession,
  type BrowserSessionKind,
  type LiveBrowserSession,
} from '../domain/browser-session.js';
import { HookdError, throwIfProblems, type FieldProblem } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { authenticate, type Caller } from './api-keys.js';
import type { StoreDeps } from './deps.js';

export interface OpenedSession {
  /** The token itself: given to the browser once, stored only as a hash. */
  token: string;
  session: LiveBrowserSession;
}

export const MAX_PORTAL_WEBHOOKS = 100;

/** A dashboard session for the holder of `apiKey`; undefined when the key is not a valid one. */
export async function openDashboardSession(
  deps: StoreDeps,
  input: { apiKey: string; ttlMs: number },
): Promise<OpenedSession | undefined> {
  const caller = await authenticate(deps, input.apiKey);
  if (!caller) return undefined;
  const token = generateSessionToken('dashboard');
  const session = newSession(deps, token, { kind: 'dashboard', caller, ttlMs: input.ttlMs });
  await deps.store.insertBrowserSession(session);
  return { token, session: { ...session, admin: caller.admin } };
}

/**
 * A portal session in `workspaceId`, seeing only `webhookIds` when given: each must be a webhook of that workspace
 * now (a later one is not added to a link handed out before it).
 */
export async function openPortalSession(
  deps: StoreDeps,
  input: { workspaceId: string; webhookIds: string[] | null; readOnly: boolean; ttlMs: number },
): Promise<OpenedSession> {
  const webhookIds = input.webhookIds === null ? null : [...new Set(input.webhookIds)];
  const problems: FieldProblem[] = [];
  for (const [index, id] of (webhookIds ?? []).entries()) {
    if (!(await deps.store.getWebhook(input.workspaceId, id)))
      problems.push({ field: `webhookIds[${index}]`, message: `no webhook ${id} in this workspace` });
  }
  throwIfProblems(problems);
  const token = generateSessionToken('portal');
  const session = newSession(deps, token, {
    kind: 'portal',
    workspaceId: input.workspaceId,
    webhookIds,
    readOnly: input.readOnly,
    ttlMs: input.ttlMs,
  });
  await deps.store.insertBrowserSession(session);
  return { token, session: { ...session, admin: false } };
}

type SessionShape =
  | { kind: 'dashboard'; caller: Caller; ttlMs: number }
  | { kind: 'portal'; workspaceId: string; webhookIds: string[] | null; readOnly: boolean; ttlMs: number };

function newSession(deps: StoreDeps, token: string, shape: SessionShape): BrowserSession {
  const createdAt = deps.clock();
  const common = {
    id: newId('ses', createdAt.getTime()),
    kind: shape.kind,
    tokenHash: hashSessionToken(token),
    createdAt,
    expiresAt: new Date(createdAt.getTime() + shape.ttlMs),
  };
  if (shape.kind === 'dashboard')
    return {
      ...common,
      workspaceId: shape.caller.workspaceId,
      apiKeyId: shape.caller.keyId,
      webhookIds: null,
      readOnly: false,
    };
  return {
    ...common,
    workspaceId: shape.workspaceId,
    apiKeyId: null,
    webhookIds: shape.webhookIds,
    readOnly: shape.readOnly,
  };
}

/** The live session of this kind a token opens, or undefined (unknown, expired, its key revoked, the other kind). */
export async function findSession(
  deps: StoreDeps,
  token: string,
  kind: BrowserSessionKind,
): Promise<LiveBrowserSession | undefined> {
  const session = await deps.store.findLiveBrowserSession(hashSessionToken(token), deps.clock());
  return session?.kind === kind ? session : undefined;
}

export async function endSession(deps: StoreDeps, token: string): Promise<void> {
  await deps.store.deleteBrowserSession(hashSessionToken(token));
}

/** The caller a live session acts as: its key's rights (dashboard), or its workspace within its scope (portal). */
export function callerOfSession(session: LiveBrowserSession): Caller {
  if (session.kind === 'dashboard')
    return {
      keyId: session.apiKeyId!,
      workspaceId: session.workspaceId,
      admin: session.admin,
      lastUsedAt: null,
      via: 'dashboard',
      sessionExpiresAt: session.expiresAt,
    };
  return {
    keyId: session.id,
    workspaceId: session.workspaceId,
    admin: false,
    lastUsedAt: null,
    via: 'portal',
    sessionExpiresAt: session.expiresAt,
    portal: { webhookIds: session.webhookIds, readOnly: session.readOnly },
  };
}

export function requireWebhookInScope(caller: Caller, webhookId: string): void {
  const ids = caller.portal?.webhookIds;
  if (ids && !ids.includes(webhookId)) throw new HookdError('HOOKD_ERR_WEBHOOK_NOT_FOUND', `no webhook ${webhookId}`);
}
