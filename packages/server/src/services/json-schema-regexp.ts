// The regular-expression engine of event-type schemas (`pattern`, `patternProperties`): RE2, linear in the input.
import type { CodeOptions } from 'ajv';
import { RE2JS } from 're2js';
import { spendWork } from './json-schema-work.js';

type RegExpEngine = NonNullable<CodeOptions['regExp']>;

/**
 * The largest RE2 program a pattern may compile to. Matching costs up to about 25 ns per program step per character
 * when RE2 falls back from its DFA (`(a|b)*a(a|b){330}$`, program 998, took 6 to 8 s over 256 KiB); the work budget
 * charges that worst case, and this bound keeps one pattern's compiled form small. Common patterns are far below it:
 * a UUID compiles to 40, an ISO date to 14, a loose email to 12.
 */
export const MAX_PATTERN_PROGRAM = 1_000;

/** Why `pattern` (a JavaScript regular expression, as JSON Schema writes it) cannot run on RE2, or undefined. */
export function patternProblem(pattern: string): string | undefined {
  try {
    compileLinear(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function compileLinear(pattern: string): RE2JS {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (error) {
    // RE2 refuses what needs backtracking (backreferences, lookahead, lookbehind) with a syntax error naming it.
    throw new Error(
      `cannot run in linear time (${(error as Error).message}; backreferences and lookaround are not supported)`,
      { cause: error },
    );
  }
  const size = compiled.programSize();
  if (size > MAX_PATTERN_PROGRAM)
    throw new Error(`compiles to ${size} steps, more than the ${MAX_PATTERN_PROGRAM} allowed`);
  return compiled;
}

/** For Ajv's `code.regExp`: each test spends work in proportion to the input's length and the program's size. */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string) => {
    const compiled = compileLinear(pattern);
    const stepsPerCharacter = compiled.programSize();
    return {
      test: (text: string) => {
        spendWork(1 + text.length * stepsPerCharacter);
        try {
          return compiled.test(text);
        } finally {
          // RE2's DFA keeps up to 8 MiB of states per pattern between tests; dropped, a schema with many patterns
          // held in the cache cannot pin gigabytes.
          compiled.reset();
        }
      },
      // Ajv keeps one compiled pattern per distinct toString(): it must tell patterns apart.
      toString: () => `/${pattern}/`,
    };
  },
  { code: 'linearRegExp' },
);
