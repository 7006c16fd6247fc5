// The one way the dashboard talks to hookd: its public /api/v1, typed by @hookd/client's generated `paths`, with the
// caller's credentials added to every request (the session cookie and its CSRF token, or a portal token).
import createClient from 'openapi-fetch';
import type { components, paths } from '@hookd/client';

export type Webhook = components['schemas']['Webhook'];
export type Delivery = components['schemas']['Delivery'];
export type Attempt = components['schemas']['Attempt'];
export type EventType = components['schemas']['EventType'];
export type Workspace = components['schemas']['Workspace'];
export type CreateWebhookBody = NonNullable<
  paths['/api/v1/webhooks']['post']['requestBody']
>['content']['application/json'];

export interface FieldProblem {
  field: string;
  message: string;
}

/** A refused call, as the API explains it: `details` name the fields to show the messages beside. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }
}

interface Credentials {
  /** A portal link's token, sent as a bearer (a cookie would be blocked inside a third-party iframe). */
  portalToken?: string;
  /** The dashboard session's token against CSRF, sent with every call that changes something. */
  csrfToken?: string | null;
  /** An admin acting in another workspace. */
  workspaceId?: string;
}

let credentials: Credentials = {};

export function setCredentials(next: Credentials): void {
  credentials = next;
}

export function actingWorkspace(): string | undefined {
  return credentials.workspaceId;
}

/** Adds the caller's credentials to a request made by hand or by openapi-fetch. */
export function withCredentials(headers: Headers, method: string): Headers {
  if (credentials.portalToken) headers.set('authorization', `Bearer ${credentials.portalToken}`);
  if (credentials.csrfToken && method !== 'GET' && method !== 'HEAD')
    headers.set('x-csrf-token', credentials.csrfToken);
  if (credentials.workspaceId) headers.set('hookd-workspace', credentials.workspaceId);
  return headers;
}

/** Fired when a call answers 401: the session expired or was ended elsewhere, so the app shows the log-in again. */
export const SESSION_ENDED_EVENT = 'hookd:session-ended';

async function errorOf(response: Response): Promise<ApiError> {
  if (response.status === 401) dispatchEvent(new Event(SESSION_ENDED_EVENT));
  const text = await response.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string; details?: FieldProblem[] } };
    if (error?.code) return new ApiError(response.status, error.code, error.message ?? '', error.details ?? []);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(response.status, 'HTTP_' + response.status, `${response.status} ${response.statusText}`);
}

export const api = createClient<paths>({ baseUrl: location.origin, credentials: 'same-origin' });
api.use({
  onRequest({ request }) {
    withCredentials(request.headers, request.method);
    return request;
  },
  async onResponse({ response }) {
    if (!response.ok) throw await errorOf(response);
    return undefined;
  },
});

/** The data of a typed call (a failed one has already thrown an ApiError). */
export async function dataOf<T>(call: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const { data } = await call;
  return data as T;
}

/** For the routes the generated types may not list yet (session, stats, portal): same credentials, same errors. */
export async function requestJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers = withCredentials(new Headers({ accept: 'application/json' }), method);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await errorOf(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}
