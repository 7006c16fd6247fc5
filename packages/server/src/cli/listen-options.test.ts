// Where `hookd listen` takes its secret from: --secret, then HOOKD_LISTEN_SECRET (kept out of the process list).
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/load-config.js';
import { parseListenArgs, type ListenOptions } from './listen-options.js';

const secretOf = (argv: string[], env: NodeJS.ProcessEnv) => (parseListenArgs(argv, env) as ListenOptions).secret;

describe('parseListenArgs secret', () => {
  it('takes --secret over HOOKD_LISTEN_SECRET, the variable without the flag, and none without either', () => {
    expect(secretOf(['--secret', 'from-flag'], { HOOKD_LISTEN_SECRET: 'from-env' })).toBe('from-flag');
    expect(secretOf([], { HOOKD_LISTEN_SECRET: 'from-env' })).toBe('from-env');
    expect(secretOf([], {})).toBeUndefined();
  });

  it('refuses an empty variable, naming it', () => {
    expect(() => parseListenArgs([], { HOOKD_LISTEN_SECRET: '' })).toThrow(ConfigError);
    expect(() => parseListenArgs([], { HOOKD_LISTEN_SECRET: '' })).toThrow(/^HOOKD_LISTEN_SECRET: must not be empty/);
  });
});
