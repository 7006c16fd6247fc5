// Answers JSON text built by hand (stored JSON spliced in as it is), past Fastify's serialiser, which would parse nothing
// but JSON.stringify the whole answer again.
import type { FastifyReply } from 'fastify';

/** Sends `json` unchanged: Fastify sends a string payload as it is once the content type is set. */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
