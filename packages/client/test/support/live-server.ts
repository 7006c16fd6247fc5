// A real hookd (SQLite file in a temp dir, delivery worker on) listening on a 127.0.0.1 port, for calls over real HTTP.
import { startTestApp, type TestApp } from '../../../server/test/support/test-app.js';

export interface LiveServer {
  url: string;
  adminKey: string;
  app: TestApp;
  close(): Promise<void>;
}

export async function startLiveServer(): Promise<LiveServer> {
  const app = await startTestApp();
  const url = await app.app.listen({ port: 0, host: '127.0.0.1' });
  return { url, adminKey: app.adminKey, app, close: () => app.close() };
}
