// --retention / HOOKD_RETENTION: 30 days unless told, a duration, or 0/off to keep everything; a bad value named.
import { describe, expect, it } from 'vitest';
import { ConfigError, describeSettings, loadConfig } from './load-config.js';

const DAY = 86_400_000;

describe('--retention', () => {
  it('keeps 30 days unless told, takes a duration from the flag or the environment, and 0 or off for forever', () => {
    expect(loadConfig([], {}).config.retentionMs).toBe(30 * DAY);
    expect(loadConfig(['--retention', '7d'], {}).config.retentionMs).toBe(7 * DAY);
    expect(loadConfig([], { HOOKD_RETENTION: '12h' }).config.retentionMs).toBe(12 * 3_600_000);
    expect(loadConfig(['--retention', 'off'], {}).config.retentionMs).toBeUndefined();
    expect(loadConfig([], { HOOKD_RETENTION: '0' }).config.retentionMs).toBeUndefined();
  });

  it('refuses a value that is not a duration, or under an hour, naming the flag', () => {
    for (const bad of ['forever', '30', '5m']) {
      let caught: unknown;
      try {
        loadConfig(['--retention', bad], {});
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as Error).message).toContain('--retention');
    }
  });

  it('says in --help how to keep everything', () => {
    // Words, whatever the line they were wrapped onto.
    expect(describeSettings().replace(/\s+/g, ' ')).toMatch(/--retention .*0 or off: kept forever/);
  });
});
