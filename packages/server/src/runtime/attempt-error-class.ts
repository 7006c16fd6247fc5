// A bounded name for why an attempt failed, for traces (error.type): never the error's text, which names hosts.

/** The prefixes describeSendError (delivery/sender.ts) and the network policy write, each with its class. */
const CLASSES: ReadonlyArray<[RegExp, string]> = [
  [/^timeout/, 'timeout'],
  [/^connection refused/, 'connection_refused'],
  [/^connection reset/, 'connection_reset'],
  [/^blocked by network policy/, 'blocked'],
  [/^TLS error/, 'tls'],
  [/^not sent/, 'not_sent'],
  [/DNS|did not resolve/, 'dns'],
];

/**
 * The HTTP status as text for an answer outside 2xx (as OpenTelemetry's HTTP conventions spell error.type), a class
 * from the error otherwise, or undefined for a success.
 */
export function attemptErrorClass(responseStatus: number | null, error: string | null): string | undefined {
  if (responseStatus !== null)
    return responseStatus >= 200 && responseStatus < 300 ? undefined : String(responseStatus);
  if (error === null) return undefined;
  return CLASSES.find(([pattern]) => pattern.test(error))?.[1] ?? 'other';
}
