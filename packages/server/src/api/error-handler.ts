// Turns every thrown error into the error shape of the API; messages of 5xx errors never reach the client.
import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyInstance } from 'fastify';
import { HookdError, type HookdErrorCode, type FieldProblem } from '../domain/errors.js';
import { SecretUnreadable } from '../domain/secret-encryption.js';
import { StoreUnavailable } from '../store/store.js';
import { STATUS_BY_CODE } from './error-status.js';
import { RateLimited } from './request-limits.js';
import { problemsFromAjv } from './validation.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: FieldProblem[] };
}

function body(code: HookdErrorCode, message: string, details?: FieldProblem[]): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

/** Fastify's own 4xx errors (body parsing, limits) under our codes. */
function fromFastify(error: FastifyError): { status: number; body: ErrorBody } | undefined {
  const status = error.statusCode ?? 500;
  if (error.validation) {
    const problems = problemsFromAjv(error.validation as ErrorObject[], error.validationContext ?? 'body');
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    return { status: 400, body: body('HOOKD_ERR_VALIDATION', `${first.field}: ${first.message}${more}`, problems) };
  }
  if (status === 413)
    return { status, body: body('HOOKD_ERR_PAYLOAD_TOO_LARGE', 'body: larger than the 256 KiB limit') };
  if (status === 415)
    return {
      status,
      body: body('HOOKD_ERR_UNSUPPORTED_MEDIA_TYPE', 'body: send JSON with Content-Type: application/json'),
    };
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return {
      status: 400,
      body: body('HOOKD_ERR_VALIDATION', `body: is not valid JSON (${error.message})`, [
        { field: 'body', message: 'is not valid JSON' },
      ]),
    };
  }
  if (status >= 400 && status < 500) return { status, body: body('HOOKD_ERR_VALIDATION', error.message) };
  return undefined;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HookdError) {
      if (error instanceof RateLimited) void reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.status(STATUS_BY_CODE[error.code]).send(body(error.code, error.message, error.details));
    }
    if (error instanceof StoreUnavailable) {
      // Sending the same request again is safe: a publish with its event id or idempotency key is stored once.
      request.log.warn({ err: error }, 'the database cannot be reached or written');
      return reply
        .status(STATUS_BY_CODE.HOOKD_ERR_UNAVAILABLE)
        .header('retry-after', '1')
        .send(body('HOOKD_ERR_UNAVAILABLE', 'the database cannot be reached or written right now; try again shortly'));
    }
    if (error instanceof SecretUnreadable) {
      // Only a change or rotation of one webhook decrypts (reads and publishes do not). Start-up refuses keys left
      // out, so this is a value altered in the database, or another process writing with a key this one lacks: the
      // operator's to fix. The log names the key id; the answer names no secret.
      request.log.error({ err: error, keyId: error.keyId }, 'a stored webhook secret cannot be decrypted');
      return reply
        .status(STATUS_BY_CODE.HOOKD_ERR_UNAVAILABLE)
        .send(
          body(
            'HOOKD_ERR_UNAVAILABLE',
            "this webhook's stored secrets cannot be decrypted by this server right now; the server log has the details",
          ),
        );
    }
    const known = fromFastify(error);
    if (known) return reply.status(known.status).send(known.body);
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(body('HOOKD_ERR_INTERNAL', 'internal error; the server log has the details'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(body('HOOKD_ERR_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
