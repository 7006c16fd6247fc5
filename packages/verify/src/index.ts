// @hookd/verify: sign and (soon) verify webhooks sent by hookd. No runtime dependencies.
export { sign, signingKey, signedParts, newNonce, type SignInput } from './sign.js';
export { signatureHeaderNames, DEFAULT_HEADER_PREFIX, type SignatureScheme } from './schemes.js';
