// The committed openapi.json and generated types are exactly what the server's routes produce today.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATE_COMMAND, generateFiles } from '../scripts/openapi-files.js';

describe('@hookd/client generated files', () => {
  it('match the server: regenerated in memory, they equal the committed ones', async () => {
    const fresh = await generateFiles();
    for (const [path, text] of Object.entries(fresh)) {
      const committed = readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
      if (committed !== text) {
        expect.fail(
          `packages/client/${path} is out of date with the server's routes: run \`${GENERATE_COMMAND}\` and commit the result`,
        );
      }
    }
    expect(Object.keys(fresh)).toEqual(['openapi.json', 'src/generated/api.ts']);
  });
});
