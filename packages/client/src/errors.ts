// What a failed call throws: the API's own error (status, code, message), or the server could not be reached at all.

/** The body of every API error: `{"error": {"code", "message", "details"?}}`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: { field: string; message: string }[];
}

/** The API answered a status other than 2xx. `code` is the API's (e.g. HOOKD_ERR_WEBHOOK_NOT_FOUND). */
export class HookdApiError extends Error {
  override name = 'HookdApiError';
  readonly status: number;
  readonly code: string;
  readonly details: { field: string; message: string }[] | undefined;
  /** "POST http://127.0.0.1:8080/api/v1/webhooks" */
  readonly request: string;

  constructor(options: { status: number; body: ApiErrorBody; request: string }) {
    super(options.body.message);
    this.status = options.status;
    this.code = options.body.code;
    this.details = options.body.details;
    this.request = options.request;
  }
}

/** No answer at all: refused, reset, unknown host, timed out. `url` is the server's base URL. */
export class HookdConnectionError extends Error {
  override name = 'HookdConnectionError';
  readonly url: string;

  constructor(url: string, cause: unknown) {
    const reason = describeCause(cause);
    super(`cannot reach hookd at ${url}${reason ? ` (${reason})` : ''}`, { cause });
    this.url = url;
  }
}

/** fetch() says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is in its cause. */
function describeCause(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current.name === 'TimeoutError') return 'no answer in time';
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (current.cause === undefined) return current.message;
    current = current.cause;
  }
  return '';
}

/** The API's error from a response body, or one made up from the status when the body is not the API's shape (a proxy's page). */
export function apiErrorBody(status: number, statusText: string, text: string): ApiErrorBody {
  try {
    const parsed = JSON.parse(text) as { error?: Partial<ApiErrorBody> };
    if (parsed.error && typeof parsed.error.code === 'string' && typeof parsed.error.message === 'string')
      return parsed.error as ApiErrorBody;
  } catch {
    // not JSON: described below
  }
  const snippet = text.trim().slice(0, 200);
  return { code: `HTTP_${status}`, message: `${status} ${statusText}`.trim() + (snippet ? `: ${snippet}` : '') };
}
