// --otel-endpoint / HOOKD_OTEL_ENDPOINT and OTEL_SERVICE_NAME: traces off unless an endpoint is given; a bad one named.
import { describe, expect, it } from 'vitest';
import { ConfigError, describeSettings, loadConfig } from './load-config.js';

describe('trace settings', () => {
  it('leaves traces off unless an endpoint is given, from the flag or the environment, and names the service hookd', () => {
    expect(loadConfig([], {}).config).toMatchObject({ otelEndpoint: undefined, otelServiceName: 'hookd' });
    expect(loadConfig(['--otel-endpoint', 'http://127.0.0.1:4318/'], {}).config.otelEndpoint).toBe(
      'http://127.0.0.1:4318',
    );
    const fromEnv = loadConfig([], {
      HOOKD_OTEL_ENDPOINT: 'https://otel.internal/otlp',
      OTEL_SERVICE_NAME: 'hooks-eu',
    });
    expect(fromEnv.config).toMatchObject({ otelEndpoint: 'https://otel.internal/otlp', otelServiceName: 'hooks-eu' });
  });

  it('refuses an endpoint that is not an http(s) URL, or holds credentials, naming the variable', () => {
    for (const bad of ['127.0.0.1:4318', 'grpc://127.0.0.1:4317', 'http://user:pass@127.0.0.1:4318']) {
      let caught: unknown;
      try {
        loadConfig([], { HOOKD_OTEL_ENDPOINT: bad });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as Error).message).toContain('HOOKD_OTEL_ENDPOINT');
    }
  });

  it('says in --help where spans go', () => {
    expect(describeSettings()).toMatch(/--otel-endpoint[\s\S]*<endpoint>\/v1\/traces/);
  });
});
