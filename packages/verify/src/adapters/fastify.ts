// Fastify plugin: takes the raw body in place of JSON parsing, verifies it before validation, sets request.webhook.
import { Buffer } from 'node:buffer';
import type { FastifyPluginAsync } from 'fastify';
import { failureBody, WebhookVerificationError } from '../errors.js';
import type { HookdEvent } from '../event.js';
import { verifyAsync } from '../verify.js';
import { checkAdapterOptions, DEFAULT_BODY_LIMIT_BYTES, type WebhookAdapterOptions } from './options.js';

export type { WebhookAdapterOptions } from './options.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified event, set by webhookPlugin. */
    webhook?: HookdEvent;
    /** The body exactly as received. */
    rawBody?: Buffer;
  }
}

const plugin: FastifyPluginAsync<WebhookAdapterOptions> = async (scope, options) => {
  checkAdapterOptions(options, 'webhookPlugin');
  // Every body reaches us as bytes: a JSON parser would lose the exact bytes that were signed.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );
  // preValidation, so that a route's body schema sees the parsed event, not the bytes.
  scope.addHook('preValidation', async (request, reply) => {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    try {
      const event = await verifyAsync(rawBody, request.headers, options.secret, options);
      request.rawBody = rawBody;
      request.webhook = event;
      request.body = event;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      return reply.code(401).send(failureBody(error));
    }
  });
};

/**
 * Verifies every request of the scope it is registered in, like fastify-plugin does (no encapsulation of its own):
 * register it inside the scope that holds your webhook routes, for it replaces that scope's body parsing.
 *
 *   app.register(async (hooks) => {
 *     await hooks.register(webhookPlugin, { secret: process.env.WEBHOOK_SECRET! });
 *     hooks.post('/webhooks', async (request) => { handle(request.webhook!); return { received: true }; });
 *   });
 */
export const webhookPlugin = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@hookd/verify',
});
