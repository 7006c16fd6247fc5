// The lint rules keep the design's import arrows and the size limits: a wrong import, an over-long file or function
// fails `npm run lint` (and so `npm test`). Checked with the repository's own eslint.config.js on text given as if it
// were an existing file, so the rules proven here are the ones every file is linted with.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER = 'packages/server/src';

// Linting with type information first builds the TypeScript program of the package: tens of seconds on a loaded
// machine, paid once here rather than by whichever test comes first.
const FIRST_LINT_MS = 300_000;
const LINT_MS = 120_000;

let eslint: ESLint;
beforeAll(async () => {
  eslint = new ESLint({ cwd: ROOT });
  await eslint.lintText('export {};\n', { filePath: `${ROOT}${SERVER}/domain/ids.ts` });
}, FIRST_LINT_MS);

/** The rule ids and messages ESLint reports for `code` linted as the file at `path` (relative to the repository). */
async function problems(path: string, code: string, ruleId: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result!.messages.filter((message) => message.ruleId === ruleId).map((message) => message.message);
}

const restricted = (path: string, source: string) =>
  problems(path, `export * from '${source}';\n`, 'no-restricted-imports');

describe('the import arrows', { timeout: LINT_MS }, () => {
  it.each([
    [`${SERVER}/domain/ids.ts`, '../store/store.js', 'domain/ imports nothing of ours'],
    [`${SERVER}/domain/ids.ts`, '@hookd/verify', 'domain/ imports nothing of ours'],
    [`${SERVER}/api/paging.ts`, '../store/sqlite/sqlite-store.js', 'Only runtime/ picks a store engine'],
    [`${SERVER}/api/routes/events.ts`, '../../store/postgres/postgres-store.js', 'Only runtime/ picks a store engine'],
    [`${SERVER}/api/paging.ts`, '../runtime/server.js', 'api/ must not import runtime/'],
    [`${SERVER}/services/publish.ts`, '../api/app.js', 'services/ must not import api/'],
    [`${SERVER}/services/publish.ts`, '../delivery/engine.js', 'services/ must not import delivery/'],
    [`${SERVER}/cli/keys.ts`, '../store/sqlite/sqlite-store.js', 'Only runtime/ picks a store engine'],
    [`${SERVER}/cli/keys.ts`, '../delivery/engine.js', 'cli/ (it goes through runtime/ and services/) must not'],
    [`${SERVER}/delivery/sender.ts`, '../services/publish.js', 'delivery/ must not import services/'],
    [`${SERVER}/delivery/sender.ts`, '../api/app.js', 'delivery/ must not import api/'],
    [`${SERVER}/store/read-cache.ts`, './sqlite/sqlite-store.js', 'Only runtime/ picks a store engine'],
    [`${SERVER}/store/sqlite/events.ts`, '../postgres/events.js', 'One engine does not import the other'],
    [`${SERVER}/services/publish.ts`, 'pg', 'Only store/postgres/ talks to the PostgreSQL driver'],
    [`${SERVER}/config/settings.ts`, '../services/publish.js', 'config/ must not import services/'],
    ['packages/verify/src/verify.ts', '../../server/src/domain/ids.js', 'imports nothing of the server'],
    ['packages/verify/src/verify.ts', 'hookd', 'imports nothing of the server'],
  ])('%s may not import %s', async (path, source, message) => {
    const found = await restricted(path, source);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  it.each([
    [`${SERVER}/runtime/server.ts`, '../store/sqlite/sqlite-store.js'],
    [`${SERVER}/runtime/server.ts`, '../store/postgres/postgres-store.js'],
    [`${SERVER}/api/paging.ts`, '../services/publish.js'],
    [`${SERVER}/api/paging.ts`, '../store/store.js'],
    [`${SERVER}/services/publish.ts`, '../store/store.js'],
    [`${SERVER}/delivery/sender.ts`, '../store/store.js'],
    [`${SERVER}/cli/keys.ts`, '../runtime/open-store.js'],
    [`${SERVER}/domain/ids.ts`, './errors.js'],
    [`${SERVER}/store/sqlite/events.ts`, 'better-sqlite3'],
    // Tests may open a real engine.
    [`${SERVER}/services/api-key-use.test.ts`, '../store/sqlite/sqlite-store.js'],
  ])('%s may import %s', async (path, source) => {
    expect(await restricted(path, source)).toEqual([]);
  });
});

describe('the size limits', { timeout: LINT_MS }, () => {
  it('refuses a file over 300 lines', async () => {
    const code = Array.from({ length: 301 }, (_, i) => `export const line${i} = ${i};`).join('\n') + '\n';
    const found = await problems(`${SERVER}/domain/ids.ts`, code, 'max-lines');
    expect(found).toEqual([expect.stringContaining('Maximum allowed is 300')]);
  });

  it('refuses a function over 60 lines of code, not counting comments and blank lines, outside tests', async () => {
    const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  total += ${i};`).join('\n');
    const fn = (lines: number, extra = '') =>
      `export function sum(): number {\n  let total = 0;\n${body(lines)}\n${extra}  return total;\n}\n`;
    const padding = '  // why\n\n'.repeat(20);
    expect(await problems(`${SERVER}/domain/ids.ts`, fn(56, padding), 'max-lines-per-function')).toEqual([]);
    expect(await problems(`${SERVER}/domain/ids.ts`, fn(57), 'max-lines-per-function')).toEqual([
      expect.stringContaining('Maximum allowed is 60'),
    ]);
    expect(await problems(`${SERVER}/domain/ids.test.ts`, fn(57), 'max-lines-per-function')).toEqual([]);
  });
});
