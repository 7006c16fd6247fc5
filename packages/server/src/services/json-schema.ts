// Compiles the JSON Schemas of event types (draft-07 by default, 2020-12 when declared) into validators of bounded work.
import { Ajv, MissingRefError, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FieldProblem } from '../domain/errors.js';
import { schemaLimitProblem } from './json-schema-limits.js';
import { schemaSizeProblem } from './json-schema-size.js';
import { meterErrorsInCode, SPEND_WORK_MEMBER, withWorkMeters, workKeyword } from './json-schema-metering.js';
import { linearRegExp } from './json-schema-regexp.js';
import { uniqueItemsKeyword } from './json-schema-unique-items.js';
import type { SchemaObject } from './json-schema-walk.js';
import { SchemaWorkExceeded, spendWork, withWorkBudget } from './json-schema-work.js';

/** What checking data against a schema found: its problems ([] when it matches), or why the check was given up. */
export type DataCheck = { problems: FieldProblem[] } | { abandoned: string };
export type DataValidator = (data: unknown) => DataCheck;

/** Why a schema is refused: `invalid` is not a JSON Schema at all (400); `refused` is one hookd will not run (422). */
export type SchemaRefusal = { kind: 'invalid' | 'refused'; message: string };

// Formats stay annotations, as 2020-12 has them by default: ajv-formats' checks run on JavaScript's backtracking
// regular expressions, outside the work meter. Ajv's logger is off: a tenant's schema must not write to our logs.
const COMMON: Options = { strict: false, validateFormats: false, logger: false };

/**
 * These only check a schema against its meta-schema: that compiles nothing new, so they never grow. The meta-schema's
 * `uniqueItems` (on `enum`, `required`, `type`) is hookd's linear one: Ajv's compares every pair of enum values.
 */
const metaSchemaCheckers = {
  draft07: withLinearUniqueItems(new Ajv(COMMON)),
  draft2020: withLinearUniqueItems(new Ajv2020(COMMON)),
};

function withLinearUniqueItems<T extends Ajv>(ajv: T): T {
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(uniqueItemsKeyword);
  return ajv;
}

/**
 * Numbers every piece of generated code, so no two are the same text. V8 keeps a function compiled from a text it
 * has already compiled, for good: a schema compiled at create and again at publish left 4 to 8 KB behind for ever
 * (2,000 types created, used and deleted: 17 MB more each time, never given back).
 */
let compiled = 0;

const COMPILE: Options = {
  ...COMMON,
  // Stop at a value's first problem: with allErrors, errors pile up as fast as work is done (3,000 missing
  // `required` names over 10,000 objects took 4 GB), and publishing answers with the first one anyway.
  allErrors: false,
  validateSchema: false,
  // Each $ref becomes one function call rather than a copy of its target: a target used 1,000 times is compiled once.
  inlineRefs: false,
  // Ajv's optimizing pass over generated code grows faster than the schema: 1,000 properties compiled in 3.0 s with
  // it and 0.9 s without (load 17 on this 2-core machine).
  code: {
    regExp: linearRegExp,
    optimize: false,
    process: (code) => `${meterErrorsInCode(code)}\n// ${(compiled += 1)}`,
  },
};

function declares2020(schema: SchemaObject): boolean {
  return typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
}

/**
 * A fresh Ajv for each schema: Ajv keeps all it ever compiled (its cache, and every value its generated code refers
 * to) as long as it lives, so a shared one grows with every schema; this one goes with its validator (0.5 ms more).
 */
function newCompiler(schema: SchemaObject): Ajv {
  const ajv = withLinearUniqueItems(declares2020(schema) ? new Ajv2020(COMPILE) : new Ajv(COMPILE));
  ajv.addKeyword(workKeyword);
  Object.assign(ajv, { [SPEND_WORK_MEMBER]: spendWork });
  return ajv;
}

function problemsOf(errors: ErrorObject[] | null | undefined): FieldProblem[] {
  return (errors ?? []).map((error) => ({
    field: `data${error.instancePath.replace(/\//g, '.')}`,
    message: error.message ?? 'is invalid',
  }));
}

function runBounded(validate: ValidateFunction, data: unknown): DataCheck {
  try {
    return withWorkBudget(() => (validate(data) ? { problems: [] } : { problems: problemsOf(validate.errors) }));
  } catch (error) {
    if (error instanceof SchemaWorkExceeded) return { abandoned: error.message };
    // A schema that refers to itself without moving into the data ({"$dynamicRef": "#a"} and the like).
    if (error instanceof RangeError) return { abandoned: 'the schema refers to itself without end' };
    throw error;
  }
}

function compileDataValidator(schema: SchemaObject): DataValidator {
  const validate = newCompiler(schema).compile(withWorkMeters(schema));
  // schemaLimitProblem() refuses $async; this holds should an async schema get here by another way (its validator
  // returns a promise, which reads as "valid" and rejects unhandled, ending the process).
  if ('$async' in validate) throw new Error('uses $async, which hookd does not run');
  return (data) => runBounded(validate, data);
}

// Values every schema must be able to check without running out of work: one of each JSON type.
const SAMPLES: unknown[] = [null, true, 0, 0.5, '', 'a', [], [null], {}, { a: null }];

/** The validator of `schema`, or why it cannot be an event type's schema. Compiles it and checks a few values with it. */
export function buildDataValidator(schema: SchemaObject): { validator: DataValidator } | { refusal: SchemaRefusal } {
  // Sizes first: everything after them (the meta-schema check, compiling, the trial checks) is bounded by them.
  const sizeProblem = schemaSizeProblem(schema);
  if (sizeProblem) return { refusal: { kind: 'refused', message: sizeProblem } };
  const metaProblem = metaSchemaProblem(schema);
  if (metaProblem) return { refusal: { kind: 'invalid', message: `is not a valid JSON Schema: ${metaProblem}` } };
  const limitProblem = schemaLimitProblem(schema);
  if (limitProblem) return { refusal: { kind: 'refused', message: limitProblem } };
  let validator: DataValidator;
  try {
    validator = compileDataValidator(schema);
  } catch (error) {
    return { refusal: compileRefusal(schema, error as Error) };
  }
  for (const sample of SAMPLES) {
    const check = validator(sample);
    if ('abandoned' in check)
      return {
        refusal: {
          kind: 'refused',
          message: `cannot be used: checking ${JSON.stringify(sample)} against it was given up (${check.abandoned})`,
        },
      };
  }
  return { validator };
}

/** Why `schema` cannot be an event type's schema, or undefined. */
export function dataSchemaRefusal(schema: SchemaObject): SchemaRefusal | undefined {
  const built = buildDataValidator(schema);
  return 'refusal' in built ? built.refusal : undefined;
}

function compileRefusal(schema: SchemaObject, error: Error): SchemaRefusal {
  if (!(error instanceof MissingRefError)) return { kind: 'refused', message: `cannot be compiled: ${error.message}` };
  // A $ref to a part of itself that is not there is a broken schema; one to another document is never fetched.
  const ownId = typeof schema.$id === 'string' ? schema.$id.replace(/#$/, '') : '';
  if (error.missingSchema === '' || error.missingSchema === ownId)
    return { kind: 'invalid', message: `is not a valid JSON Schema: ${error.message}` };
  return {
    kind: 'refused',
    message: `refers to ${error.missingRef}, which it does not contain (hookd fetches no schemas from elsewhere)`,
  };
}

function metaSchemaProblem(schema: SchemaObject): string | undefined {
  const checker = declares2020(schema) ? metaSchemaCheckers.draft2020 : metaSchemaCheckers.draft07;
  try {
    return checker.validateSchema(schema) ? undefined : checker.errorsText(checker.errors, { dataVar: 'schema' });
  } catch (error) {
    return (error as Error).message;
  }
}
