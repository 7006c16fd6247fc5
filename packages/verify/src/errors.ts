// Why a delivery failed verification: one error class with a machine-readable reason, and the JSON body adapters answer.

/** Every way a delivery can fail verification. */
export type VerificationFailure =
  'missing_header' | 'bad_signature' | 'timestamp_out_of_tolerance' | 'replayed' | 'invalid_body';

/** Thrown by verify() (and answered as 401 by the adapters); `reason` is stable, `message` is for people. */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';

  constructor(
    readonly reason: VerificationFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON body the adapters answer a failed verification with, in hookd's own error shape. */
export function failureBody(error: WebhookVerificationError): {
  error: { code: VerificationFailure; message: string };
} {
  return { error: { code: error.reason, message: error.message } };
}
