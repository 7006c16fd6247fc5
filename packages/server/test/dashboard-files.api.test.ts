// The dashboard's files (issue #17): served at / and /portal with a strict Content-Security-Policy, assets cached for
// good and index.html never; /portal may be framed only by its workspace's portalOrigins; no build, a 503 saying so.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { tempDir } from './support/temp-dir.js';

const POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";
const INDEX = '<!doctype html><title>hookd</title><script type="module" src="/assets/index-abc123.js"></script>';

let t: TestApp;
let dist: string;

beforeAll(async () => {
  dist = tempDir();
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("hookd")');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, 'secret.db'), 'not for the web');
  t = await startTestApp({ worker: false, dashboard: { dir: dist } });
});
afterAll(async () => {
  await t.close();
});

function expectDashboardHeaders(headers: Record<string, unknown>, frameAncestors = "'none'") {
  expect(headers['content-security-policy']).toBe(`${POLICY}; frame-ancestors ${frameAncestors}`);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

describe('the dashboard at /', () => {
  it('serves index.html, never cached, with the strict policy and no framing', async () => {
    for (const path of ['/', '/index.html']) {
      const page = await t.call('GET', path, { key: null });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toBe(INDEX);
      expect(page.headers['cache-control']).toBe('no-cache');
      expectDashboardHeaders(page.headers);
    }
  });

  it('serves assets cached for a year, and files at the root of the build', async () => {
    const script = await t.call('GET', '/assets/index-abc123.js', { key: null });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectDashboardHeaders(script.headers);
    const icon = await t.call('GET', '/favicon.svg', { key: null });
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
  });

  it('answers 404 for anything else, and never reads outside the build', async () => {
    for (const path of [
      '/assets/missing.js',
      '/assets/..%2f..%2fpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/..%2fpackage.json',
      '/secret.db',
      '/assets/.hidden.js',
    ]) {
      const result = await t.call('GET', path, { key: null });
      expect(result.status, path).toBe(404);
      expect(JSON.stringify(result.body), path).not.toContain('hookd-monorepo');
    }
  });

  it('leaves the health checks and the API document where they were', async () => {
    expect((await t.call('GET', '/healthz', { key: null })).body).toEqual({ status: 'ok' });
    expect((await t.call('GET', '/openapi.json', { key: null })).body.openapi).toBe('3.1.0');
  });
});

describe('the portal at /portal', () => {
  it('may be framed by the origins its workspace allows, and by nobody for an unknown or unset workspace', async () => {
    const origins = ['https://app.example.com', 'http://localhost:5173'];
    expect(
      (await t.call('PATCH', `/api/v1/workspaces/${t.workspaceId}`, { body: { portalOrigins: origins } })).status,
    ).toBe(200);
    const framed = await t.call('GET', `/portal?ws=${t.workspaceId}`, { key: null });
    expect(framed.status).toBe(200);
    expect(framed.body).toBe(INDEX);
    expectDashboardHeaders(framed.headers, origins.join(' '));
    for (const query of ['', '?ws=ws_01JZ0000000000000000000000', '?ws=%27unsafe-inline%27', '?ws=a&ws=b']) {
      const page = await t.call('GET', `/portal${query}`, { key: null });
      expect(page.status, query).toBe(200);
      expectDashboardHeaders(page.headers);
    }
  });
});

describe('without a build', () => {
  it('answers 503 at / with a sentence saying how to build it, and the API still works', async () => {
    const bare = await startTestApp({ worker: false, dashboard: { dir: join(dist, 'no-such-dir') } });
    try {
      const page = await bare.call('GET', '/', { key: null });
      expect(page.status).toBe(503);
      expect(page.body).toContain('npm run build');
      expectDashboardHeaders(page.headers);
      expect((await bare.call('GET', '/api/v1/webhooks')).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
