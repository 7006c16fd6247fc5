// createHookdClient(): the openapi-fetch client for hookd's API, with the key sent on every call and failures thrown.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { apiErrorBody, HookdApiError, HookdConnectionError } from './errors.js';
import type { paths } from './generated/api.js';

export interface HookdClientOptions {
  /** Where hookd serves, e.g. http://127.0.0.1:8080 (the API is under /api/v1 of it). */
  url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** Another fetch (a proxy agent, say); default: the global one. */
  fetch?: (request: Request) => Promise<Response>;
  /** How long one call may take before it fails with HookdConnectionError; default 30 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A server that accepts the connection and never answers must not hang the caller (a CLI above all) for ever. At the
 * deadline the request is aborted (which also ends a body still being read) and the call fails then, whether or not
 * fetch settles: on a loaded machine an aborted fetch to a server that never answers was seen to stay pending past 20 s
 * (three times in full test runs, with AbortSignal.timeout() as the only deadline). The timer is unref'd, so a call
 * that is done keeps no process alive.
 */
function withTimeout(
  send: (request: Request) => Promise<Response>,
  timeoutMs: number,
): (request: Request) => Promise<Response> {
  return (request) => {
    const deadline = new AbortController();
    const expired = new Promise<never>((_, reject) => {
      setTimeout(() => {
        const reason = new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError');
        deadline.abort(reason);
        reject(reason);
      }, timeoutMs).unref();
    });
    expired.catch(() => undefined); // once the answer has come, the deadline only aborts what is left
    if (request.signal.aborted) deadline.abort(request.signal.reason);
    else request.signal.addEventListener('abort', () => deadline.abort(request.signal.reason), { once: true });
    return Promise.race([send(new Request(request, { signal: deadline.signal })), expired]);
  };
}

/** Typed by the server's OpenAPI document: `hookd.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })`. */
export type HookdClient = Client<paths>;

/** Turns every non-2xx answer into a HookdApiError, and a failed connection into a HookdConnectionError naming the URL. */
function throwOnFailure(baseUrl: string): Middleware {
  return {
    async onResponse({ request, response }) {
      if (response.ok) return undefined;
      const text = await response.clone().text();
      throw new HookdApiError({
        status: response.status,
        body: apiErrorBody(response.status, response.statusText, text),
        request: `${request.method} ${request.url}`,
      });
    },
    onError({ error }) {
      return new HookdConnectionError(baseUrl, error);
    },
  };
}

export function createHookdClient(options: HookdClientOptions): HookdClient {
  const baseUrl = options.url.replace(/\/+$/, '');
  const client = createClient<paths>({
    baseUrl,
    headers: { authorization: `Bearer ${options.apiKey}` },
    fetch: withTimeout(options.fetch ?? ((request) => fetch(request)), options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  });
  client.use(throwOnFailure(baseUrl));
  return client;
}

/**
 * The data of a call made with createHookdClient, typed without the error branch (a failed call has already thrown):
 * `const webhook = await dataOf(hookd.POST('/api/v1/webhooks', { body: { url } }))`.
 */
export async function dataOf<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const result = await call;
  if (!result.response.ok)
    throw new HookdApiError({
      status: result.response.status,
      body: apiErrorBody(result.response.status, result.response.statusText, JSON.stringify(result.error ?? '')),
      request: result.response.url,
    });
  return result.data as T;
}
