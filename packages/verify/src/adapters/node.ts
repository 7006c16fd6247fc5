// node:http helpers: read the raw body, verify it, and answer 401 with the reason when it does not verify.
import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { failureBody, WebhookVerificationError } from '../errors.js';
import type { HookdEvent } from '../event.js';
import { verifyAsync } from '../verify.js';
import { checkAdapterOptions, DEFAULT_BODY_LIMIT_BYTES, type WebhookAdapterOptions } from './options.js';

export { DEFAULT_BODY_LIMIT_BYTES, type WebhookAdapterOptions } from './options.js';

/**
 * Reads the whole body as sent. Past `limitBytes` it keeps draining (so the caller can still answer) and then
 * rejects with an "invalid_body" WebhookVerificationError.
 */
export function readRawBody(req: IncomingMessage, limitBytes: number = DEFAULT_BODY_LIMIT_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer | string) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    req.on('end', () => {
      if (size > limitBytes)
        reject(new WebhookVerificationError('invalid_body', `the body is larger than ${limitBytes} bytes`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** Reads and verifies one request; rejects with WebhookVerificationError when it does not verify. */
export async function verifyRequest<T = HookdEvent>(
  req: IncomingMessage,
  options: WebhookAdapterOptions,
): Promise<{ event: T; rawBody: Buffer }> {
  const rawBody = await readRawBody(req, options.bodyLimitBytes);
  return { event: await verifyAsync<T>(rawBody, req.headers, options.secret, options), rawBody };
}

/** Answers 401 with `{"error": {"code": <reason>, "message": ...}}`. */
export function sendVerificationFailure(res: ServerResponse, error: WebhookVerificationError): void {
  res.writeHead(401, { 'content-type': 'application/json' });
  res.end(JSON.stringify(failureBody(error)));
}

/**
 * A node:http request listener: verifies each request, then calls `handle` with the event. The response is 200
 * unless `handle` ends it itself; 401 with the reason when verification fails; 500 (so hookd retries) when
 * `handle` throws.
 */
export function webhookHandler<T = HookdEvent>(
  options: WebhookAdapterOptions,
  handle: (event: T, req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => void {
  checkAdapterOptions(options, 'webhookHandler');
  return (req, res) => {
    const respond = async () => {
      let event: T;
      try {
        event = (await verifyRequest<T>(req, options)).event;
      } catch (error) {
        if (error instanceof WebhookVerificationError) return sendVerificationFailure(res, error);
        throw error;
      }
      await handle(event, req, res);
      if (!res.writableEnded) res.writeHead(200).end();
    };
    respond().catch((error: unknown) => {
      console.error('@hookd/verify: the webhook handler failed:', error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
}
