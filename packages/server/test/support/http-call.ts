// The one HTTP client of the tests for anything served on a real port (a hookd process, `hookd listen`, a seed
// receiver): fetch, with JSON in and out and the API key as a bearer token. In-process apps use TestApp.call.

export interface HttpCallOptions {
  /** Default POST when there is a body or payload, else GET. */
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as-is (a signed body must arrive byte for byte). */
  payload?: string;
  /** Sent as `authorization: Bearer <key>`. */
  key?: string;
  headers?: Record<string, string>;
  /** Gives up after this long, saying so: a server that stopped answering fails the test rather than hanging it. */
  timeoutMs?: number;
}

export interface HttpResult {
  status: number;
  /** The answer parsed as JSON, or its text when it is not JSON; typed loosely, as tests read arbitrary fields. */
  body: any;
  text: string;
  headers: Headers;
}

export async function httpCall(url: string, options: HttpCallOptions = {}): Promise<HttpResult> {
  const payload = options.body !== undefined ? JSON.stringify(options.body) : options.payload;
  const headers: Record<string, string> = {
    ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(options.key !== undefined ? { authorization: `Bearer ${options.key}` } : {}),
    ...options.headers,
  };
  const method = options.method ?? (payload !== undefined ? 'POST' : 'GET');
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
      ...(options.timeoutMs !== undefined ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
    });
    text = await response.text();
  } catch (error) {
    if (options.timeoutMs === undefined) throw error;
    throw new Error(`no answer to ${method} ${url} within ${options.timeoutMs} ms: ${String(error)}`, { cause: error });
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** A call to the API of a hookd served at `base` (`/api/v1` + path) under `key` (null: none): its status and body. */
export async function apiCall(
  base: string,
  method: string,
  path: string,
  key: string | null,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const answer = await httpCall(`${base}/api/v1${path}`, {
    method,
    ...(key !== null ? { key } : {}),
    ...(body !== undefined ? { body } : {}),
  });
  return { status: answer.status, body: answer.body };
}
