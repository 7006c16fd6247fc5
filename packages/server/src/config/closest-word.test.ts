// "Did you mean": near enough to be a slip (a swapped, missing, extra or wrong letter), never a wild guess.
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './closest-word.js';
import { ConfigError } from './config-error.js';
import { parseFlags } from './parse-flags.js';

describe('editDistance', () => {
  it('counts inserts, deletes, replacements and a swap of neighbours as one edit each', () => {
    expect(editDistance('events', 'events')).toBe(0);
    expect(editDistance('evnets', 'events')).toBe(1);
    expect(editDistance('event', 'events')).toBe(1);
    expect(editDistance('eventss', 'events')).toBe(1);
    expect(editDistance('evants', 'events')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('didYouMean', () => {
  const flags = ['--events', '--description', '--data', '--limit', '--url'];
  it('names the nearest candidate when it is near enough', () => {
    expect(didYouMean('--evnets', flags)).toBe(' (did you mean --events?)');
    expect(didYouMean('--descripton', flags)).toBe(' (did you mean --description?)');
    expect(didYouMean('--dat', flags)).toBe(' (did you mean --data?)');
    expect(didYouMean('--URL', flags)).toBe(' (did you mean --url?)');
  });

  it('says nothing when nothing is close', () => {
    expect(didYouMean('--zzzzzzzz', flags)).toBe('');
    expect(didYouMean('--port', flags)).toBe('');
  });
});

describe('parseFlags', () => {
  const options = { events: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
  it('turns an unknown flag into a usage error with a suggestion, given as --flag=value too', () => {
    expect(() => parseFlags(['--evnets', 'a'], options)).toThrow(ConfigError);
    expect(() => parseFlags(['--evnets=a'], options)).toThrow(/^unknown flag --evnets \(did you mean --events\?\)$/);
    expect(() => parseFlags(['-x'], options)).toThrow(/^unknown flag -x$/);
  });

  it('keeps node:util messages for other errors on one line, and parses good input', () => {
    expect(() => parseFlags(['--events'], options)).toThrow(/^Option '--events <value>' argument missing$/);
    expect(parseFlags(['a', '--events', 'x', '-h'], options)).toMatchObject({
      values: { events: 'x', help: true },
      positionals: ['a'],
    });
  });
});
