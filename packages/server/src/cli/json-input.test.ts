// JSON given to a flag inline, as @file or as - (stdin): the value, or a usage error naming the flag and the source.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { jsonFlag } from './json-input.js';

const dir = tempDir('hookd-json-input-');

describe('jsonFlag', () => {
  it('reads inline JSON, a file after @, and stdin for -', async () => {
    expect(await jsonFlag('data', '{"a": 1}')).toEqual({ a: 1 });
    expect(await jsonFlag('data', '-1')).toBe(-1);
    const file = join(dir, 'event.json');
    writeFileSync(file, '{"big": "' + 'x'.repeat(300_000) + '"}');
    expect(((await jsonFlag('data', `@${file}`)) as { big: string }).big).toHaveLength(300_000);
    expect(await jsonFlag('data', '-', Readable.from([Buffer.from('{"from": '), Buffer.from('"stdin"}')]))).toEqual({
      from: 'stdin',
    });
  });

  it('names the flag and the source of bad input', async () => {
    await expect(jsonFlag('filter', '{"a": ')).rejects.toThrow(/^--filter: not valid JSON \(/);
    await expect(jsonFlag('data', `@${join(dir, 'missing.json')}`)).rejects.toThrow(
      /^--data: cannot read .*\(ENOENT\)$/,
    );
    await expect(jsonFlag('data', '@')).rejects.toThrow(/^--data: give a file after @/);
    writeFileSync(join(dir, 'bad.json'), 'nope');
    await expect(jsonFlag('schema', `@${join(dir, 'bad.json')}`)).rejects.toThrow(
      /^--schema: not valid JSON in .*bad\.json/,
    );
  });
});
