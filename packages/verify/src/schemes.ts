// The signature schemes hookd speaks, and the headers each one uses.

export type SignatureScheme = 'standard' | 'timestamp-nonce' | 'body' | 'none';

export const DEFAULT_HEADER_PREFIX = 'X-Webhook-';

/** Header names of a scheme, given the webhook's prefix (ignored by "standard", whose names are fixed). */
export function signatureHeaderNames(headerPrefix: string = DEFAULT_HEADER_PREFIX) {
  return {
    standardId: 'webhook-id',
    standardTimestamp: 'webhook-timestamp',
    standardSignature: 'webhook-signature',
    signature: `${headerPrefix}Signature`,
    /** Single-signature schemes carry the pre-rotation secret's signature here while it is still valid. */
    previousSignature: `${headerPrefix}Signature-Previous`,
    timestamp: `${headerPrefix}Timestamp`,
    nonce: `${headerPrefix}Nonce`,
  };
}
