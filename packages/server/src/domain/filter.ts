// A webhook's optional condition on the delivered envelope, e.g. {"data.amount": {"$gt": 100}}.
import { isDeepStrictEqual } from 'node:util';
import type { FieldProblem } from './errors.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Filter = { [key: string]: JsonValue };

const OPERATORS = new Set(['$eq', '$neq', '$in', '$exists', '$gt', '$lt']);
const MAX_DEPTH = 8;
/**
 * A filter's size as JSON text. Matching is linear in it (each clause and `$in` candidate is read once, and an
 * equality stops at the smaller side), and it runs for every filtered webhook on every publish, so the limit bounds a
 * publish's filter work by webhooks × this. 4 KiB holds a `$in` of some 200 ids.
 */
export const MAX_FILTER_BYTES = 4096;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function operatorProblem(op: string, operand: unknown): string | undefined {
  if (!OPERATORS.has(op)) return `unknown operator "${op}"; use one of ${[...OPERATORS].join(' ')}`;
  if (op === '$in' && !Array.isArray(operand)) return '$in takes an array';
  if (op === '$exists' && typeof operand !== 'boolean') return '$exists takes true or false';
  if ((op === '$gt' || op === '$lt') && typeof operand !== 'number' && typeof operand !== 'string')
    return `${op} takes a number or a string`;
  return undefined;
}

function collectProblems(condition: unknown, path: string, depth: number, problems: FieldProblem[]): void {
  if (!isPlainObject(condition)) {
    problems.push({ field: path, message: 'must be an object of conditions' });
    return;
  }
  if (depth > MAX_DEPTH) {
    problems.push({ field: path, message: `nests deeper than ${MAX_DEPTH} levels` });
    return;
  }
  for (const [key, value] of Object.entries(condition)) {
    const at = `${path}.${key}`;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0)
        problems.push({ field: at, message: `${key} takes a non-empty array of conditions` });
      else value.forEach((item, i) => collectProblems(item, `${at}[${i}]`, depth + 1, problems));
    } else if (key.startsWith('$')) {
      problems.push({
        field: at,
        message: `"${key}" is not allowed here; operators go inside a field, e.g. {"data.amount": {"$gt": 100}}`,
      });
    } else if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
      for (const [op, operand] of Object.entries(value)) {
        const problem = operatorProblem(op, operand);
        if (problem) problems.push({ field: `${at}.${op}`, message: problem });
      }
    }
  }
}

/** Every problem with a filter, with fields under `field` (e.g. "filter.data.amount.$gt"). */
export function filterProblems(filter: unknown, field = 'filter'): FieldProblem[] {
  const bytes = Buffer.byteLength(JSON.stringify(filter) ?? '');
  if (bytes > MAX_FILTER_BYTES) return [{ field, message: `is ${bytes} bytes of JSON; at most ${MAX_FILTER_BYTES}` }];
  const problems: FieldProblem[] = [];
  collectProblems(filter, field, 0, problems);
  return problems;
}

function valueAt(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const part of path.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

/**
 * Equality as the receiver's parse of the envelope sees it: filters read the published values, where a -0 is still
 * -0, but the delivered JSON says 0 (isDeepStrictEqual alone tells them apart).
 */
function sameJson(actual: unknown, expected: unknown): boolean {
  return actual === expected || isDeepStrictEqual(actual, expected);
}

function compare(op: string, actual: unknown, operand: unknown): boolean {
  switch (op) {
    case '$eq':
      return sameJson(actual, operand);
    case '$neq':
      return !sameJson(actual, operand);
    case '$in':
      return Array.isArray(operand) && operand.some((candidate) => sameJson(actual, candidate));
    case '$exists':
      return (actual !== undefined) === operand;
    case '$gt':
      return typeof actual === typeof operand && (actual as number) > (operand as number);
    case '$lt':
      return typeof actual === typeof operand && (actual as number) < (operand as number);
    default:
      return false;
  }
}

/** True when `document` satisfies every clause of `filter` (clauses of one object are and-ed). */
export function matchesFilter(filter: Filter, document: unknown): boolean {
  return Object.entries(filter).every(([key, value]) => {
    if (key === '$and') return (value as Filter[]).every((sub) => matchesFilter(sub, document));
    if (key === '$or') return (value as Filter[]).some((sub) => matchesFilter(sub, document));
    const actual = valueAt(document, key);
    if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
      return Object.entries(value).every(([op, operand]) => compare(op, actual, operand));
    }
    return sameJson(actual, value);
  });
}
