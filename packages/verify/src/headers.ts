// Reads request headers case-insensitively from whatever shape a framework hands over.

/** A WHATWG `Headers` (fetch, Bun, Deno), Node's `IncomingHttpHeaders`, or any plain object of header values. */
export type WebhookHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

function isHeadersObject(headers: WebhookHeaders): headers is { get(name: string): string | null } {
  return typeof (headers as { get?: unknown }).get === 'function';
}

/** Every value of header `name` (a repeated header gives several); empty when absent. */
export function headerValues(headers: WebhookHeaders, name: string): string[] {
  if (isHeadersObject(headers)) {
    const value = headers.get(name);
    return value === null ? [] : [value];
  }
  const lower = name.toLowerCase();
  // Node and most frameworks already lower-case names: look there first, then scan for any other spelling.
  let value = headers[lower] ?? headers[name];
  if (value === undefined) {
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === lower);
    value = key === undefined ? undefined : headers[key];
  }
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The first value of header `name`, if any. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  return headerValues(headers, name)[0];
}
