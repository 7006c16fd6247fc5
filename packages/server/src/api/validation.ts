// Request validation: bodies are checked strictly (no type coercion, no unknown fields); query strings are coerced.
import { Ajv, type ErrorObject } from 'ajv';
import formats from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its function sits on .default.
const addFormats = formats.default;
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { FieldProblem } from '../domain/errors.js';

const strict = new Ajv({
  allErrors: true,
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
  strict: false,
});
const coercing = new Ajv({
  allErrors: true,
  coerceTypes: true,
  useDefaults: true,
  removeAdditional: false,
  strict: false,
});
for (const ajv of [strict, coercing]) {
  // Keywords @fastify/swagger reads; they carry no validation.
  ajv.addKeyword({ keyword: 'example' });
  addFormats(ajv, ['date-time', 'uri', 'email']);
}

/**
 * The validator factory for Fastify's `schemaController` option. Given there rather than through
 * setValidatorCompiler so that it also holds in scopes that add shared schemas (Fastify rebuilds their compilers).
 * Request schemas use no $ref, so the shared (response) schemas are not needed here.
 */
export function buildValidator(): FastifySchemaCompiler<FastifySchema> {
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema);
}

/** "/retry/schedule/0" → "retry.schedule[0]" */
function fieldOf(instancePath: string, prefix: string): string {
  const path = instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
  return path || prefix;
}

function problemOf(error: ErrorObject, part: string): FieldProblem | undefined {
  const field = fieldOf(error.instancePath, part);
  const join = (parent: string, child: string) => (parent === part ? child : `${parent}.${child}`);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: join(field, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { field: join(field, String(params.additionalProperty)), message: 'is not a known field' };
    case 'type': {
      const types = Array.isArray(params.type) ? params.type : String(params.type).split(',');
      return {
        field,
        message: `must be ${types.map((t: string) => (t === 'null' ? 'null' : `a${/^[aeiou]/.test(t) ? 'n' : ''} ${t}`)).join(' or ')}`,
      };
    }
    case 'enum':
      return {
        field,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'anyOf':
    case 'oneOf':
      return undefined; // the branch errors say more
    default:
      return { field, message: error.message ?? 'is invalid' };
  }
}

/** One problem per field, in the order Ajv found them. */
export function problemsFromAjv(errors: ErrorObject[], part: string): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  for (const error of errors) {
    const problem = problemOf(error, part);
    if (problem && !byField.has(problem.field)) byField.set(problem.field, problem);
  }
  return byField.size > 0 ? [...byField.values()] : [{ field: part, message: 'is invalid' }];
}
