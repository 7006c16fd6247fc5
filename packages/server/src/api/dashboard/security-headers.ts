// The headers every dashboard and portal response carries: a strict Content-Security-Policy (no inline script or
// style, nothing from another origin) and no sniffing or referrers. Only `frame-ancestors` varies: the portal may be
// framed by the origins its workspace allows.
import type { FastifyReply } from 'fastify';

const POLICY_WITHOUT_FRAMING = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The policy for a page that `frameAncestors` (origins already validated) may frame; none given: nobody. */
export function contentSecurityPolicy(frameAncestors: readonly string[] = []): string {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  return `${POLICY_WITHOUT_FRAMING}; frame-ancestors ${ancestors}`;
}

export function setDashboardHeaders(reply: FastifyReply, frameAncestors: readonly string[] = []): void {
  reply.header('content-security-policy', contentSecurityPolicy(frameAncestors));
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
}
