// Listening on a host and port taken from the config: a port in use or a host that cannot be had is a ConfigError
// naming the setting (one line, exit 2), and the answer is the URL to reach it at.
import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../config/load-config.js';

export async function listenOn(
  app: FastifyInstance,
  where: { host: string; port: number; flag: '--port' | '--metrics-port' },
): Promise<string> {
  const { host, port, flag } = where;
  try {
    await app.listen({ port, host });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`${flag}: ${host}:${port} is already in use`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      throw new ConfigError(`--host: cannot listen on "${host}"`);
    throw error;
  }
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
}
