// Express middleware: verifies the raw body (read here, or kept by express.raw/text or keepRawBody) and sets req.webhook.
import type { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { WebhookVerificationError } from '../errors.js';
import type { HookdEvent } from '../event.js';
import { verifyAsync, type RawBody } from '../verify.js';
import { readRawBody, sendVerificationFailure } from './node.js';
import { checkAdapterOptions, type WebhookAdapterOptions } from './options.js';

export type { WebhookAdapterOptions } from './options.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified event, set by webhookMiddleware(). */
    webhook?: HookdEvent;
    /** The raw body, when express.json({ verify: keepRawBody }) kept it. */
    rawBody?: Buffer;
  }
}

/**
 * For apps that run express.json() before the webhook route: `app.use(express.json({ verify: keepRawBody }))`
 * keeps the bytes as req.rawBody so that webhookMiddleware can still verify them.
 */
export function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buffer;
}

type BodyRequest = IncomingMessage & { body?: unknown; rawBody?: Buffer; _body?: boolean };

/** The body bytes, wherever an earlier middleware left them; undefined when the stream is still unread. */
function keptRawBody(req: BodyRequest): RawBody | undefined {
  if (req.body instanceof Uint8Array || typeof req.body === 'string') return req.body;
  if (req.rawBody instanceof Uint8Array) return req.rawBody;
  // body-parser marks a request it has read with _body; once read, the bytes are gone.
  if (req._body === true || req.readableEnded) {
    throw new Error(
      '@hookd/verify: the request body was already parsed (express.json() ran before webhookMiddleware), so its signature cannot be checked: ' +
        'put webhookMiddleware before express.json(), or use express.json({ verify: keepRawBody })',
    );
  }
  return undefined;
}

/**
 * Verifies the request and puts the event on `req.webhook`, or answers 401 `{"error": {"code": <reason>, ...}}`.
 * Needs no body parser: it reads the body itself, and also works after express.raw(), express.text(), or
 * express.json({ verify: keepRawBody }). After a plain express.json() the bytes are gone: that is an error (500).
 */
export function webhookMiddleware(options: WebhookAdapterOptions): RequestHandler {
  checkAdapterOptions(options, 'webhookMiddleware');
  return (req, res, next) => {
    const request = req as BodyRequest;
    const run = async () => {
      const kept = keptRawBody(request);
      const rawBody = kept ?? (await readRawBody(request, options.bodyLimitBytes));
      const event = await verifyAsync(rawBody, req.headers, options.secret, options);
      req.webhook = event;
      // Read here, so no parser ran: give the route the parsed body it would have had from express.json().
      if (kept === undefined) req.body = event;
      next();
    };
    run().catch((error: unknown) => {
      if (error instanceof WebhookVerificationError) sendVerificationFailure(res, error);
      else next(error);
    });
  };
}
