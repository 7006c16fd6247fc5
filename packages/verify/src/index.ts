// @hookd/verify: verify (and, for tests, sign) webhooks sent by hookd or any Standard Webhooks sender. No runtime dependencies.
// Framework adapters are subpath exports: @hookd/verify/express, @hookd/verify/fastify, @hookd/verify/node.

/** verify() and verifyAsync(): check a delivery's signature, timestamp and (optionally) replay; return the event. */
export {
  verify,
  verifyAsync,
  DEFAULT_TOLERANCE_SECONDS,
  type VerifyOptions,
  type VerifyAsyncOptions,
  type VerifyScheme,
  type RawBody,
  type Secrets,
} from './verify.js';
/** The error verify() throws, its `reason`s, and the 401 body the adapters answer with. */
export { WebhookVerificationError, failureBody, type VerificationFailure } from './errors.js';
/** Replay protection: the store interface verify() calls, and a bounded in-memory implementation. */
export {
  MemoryReplayStore,
  type ReplayStore,
  type AsyncReplayStore,
  type MemoryReplayStoreOptions,
} from './replay-store.js';
/** The header shapes verify() reads (WHATWG Headers, Node's IncomingHttpHeaders, plain objects). */
export { headerValue, type WebhookHeaders } from './headers.js';
/** The envelope hookd delivers. */
export type { HookdEvent } from './event.js';
/** sign(): the one signing implementation (the hookd server signs with it); use it to make test deliveries. */
export { sign, signatureFor, signingKey, signedParts, newNonce, type SignInput, type SignatureInput } from './sign.js';
/** Scheme names and the headers each one uses. */
export { signatureHeaderNames, DEFAULT_HEADER_PREFIX, type SignatureScheme } from './schemes.js';
