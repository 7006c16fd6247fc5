// The dashboard's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's request carries
// it), Secure over https, scoped to the whole origin.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'hookd_session';

/** The session cookie's value, or undefined. Tokens are base64url, so no decoding is needed (or done). */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) {
      const value = pair.slice(at + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeMs: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  const maxAge = Math.max(0, Math.floor(maxAgeMs / 1000));
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${secure}`,
  );
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure}`);
}

/** The server's own origin as the browser sees it (the request's scheme and Host, or the public URL's). */
export function isOwnOrigin(request: FastifyRequest, origin: string, publicUrl: string | undefined): boolean {
  // Through the URL parser, so "http://host:80" and "http://host" (browsers leave default ports out) compare equal.
  const originOf = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return undefined;
    }
  };
  const presented = originOf(origin);
  if (presented === undefined || presented === 'null') return false;
  return (
    presented === originOf(`${request.protocol}://${request.host}`) ||
    (publicUrl !== undefined && presented === originOf(publicUrl))
  );
}
