// Where the API commands take the server and the key from: flag, then environment, then default.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/load-config.js';
import { DEFAULT_SERVER_URL, listFlag, parseApiCommandLine } from './api-options.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv) => {
  const line = parseApiCommandLine(argv, env, { data: { type: 'string' } });
  if (line === 'help') throw new Error('unexpected help');
  return line;
};

describe('parseApiCommandLine', () => {
  it('takes --url over HOOKD_URL over the default, without a trailing slash', () => {
    expect(parse(['--url', 'http://10.0.0.5:9000/', '--api-key', 'k'], { HOOKD_URL: 'http://env:1' }).url).toBe(
      'http://10.0.0.5:9000',
    );
    expect(parse(['--api-key', 'k'], { HOOKD_URL: 'https://hookd.example.com' }).url).toBe('https://hookd.example.com');
    expect(parse(['--api-key', 'k'], {}).url).toBe(DEFAULT_SERVER_URL);
  });

  it('needs a key from --api-key or HOOKD_API_KEY, and an http(s) URL, or it is a usage error naming them', () => {
    expect(() => parse([], {})).toThrow(ConfigError);
    expect(() => parse([], { HOOKD_API_KEY: '  ' })).toThrow(/--api-key or set HOOKD_API_KEY/);
    expect(() => parse(['--url', 'ftp://x'], { HOOKD_API_KEY: 'k' })).toThrow(/^--url: must be an http\(s\) URL/);
    expect(() => parse([], { HOOKD_API_KEY: 'k', HOOKD_URL: 'nope' })).toThrow(/^HOOKD_URL: must be an http\(s\) URL/);
    expect(() => parse(['--nope'], { HOOKD_API_KEY: 'k' })).toThrow(/--nope/);
  });

  it("keeps the command's own flags, positionals and --json", () => {
    const line = parse(['publish', 'a.b', '--data', '{}', '--json'], { HOOKD_API_KEY: 'k' });
    expect(line).toMatchObject({ json: true, positionals: ['publish', 'a.b'], values: { data: '{}' } });
    expect(parseApiCommandLine(['--help'], {}, {})).toBe('help');
  });
});

describe('listFlag', () => {
  it('splits comma lists, given once or repeated, and drops empty parts', () => {
    expect(listFlag(['a.b, c.*', 'd', ''])).toEqual(['a.b', 'c.*', 'd']);
    expect(listFlag('x')).toEqual(['x']);
    expect(listFlag(undefined)).toBeUndefined();
  });
});
