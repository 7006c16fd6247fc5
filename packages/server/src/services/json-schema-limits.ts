// What hookd refuses in an event type's schema before compiling it: too big, too deep, async, or unsafe to run.
import { patternProblem } from './json-schema-regexp.js';
import { forEachSubschema, pointerLeavesSchemas, type SchemaObject } from './json-schema-walk.js';

/** The largest schema, as JSON: big enough for any one event's data (a 500-property schema is about 20 KiB). */
export const MAX_SCHEMA_BYTES = 64 * 1024;
/** How many schemas deep one may nest (the root is 1): Ajv compiles recursively, and real schemas stay under 10. */
export const MAX_SCHEMA_DEPTH = 32;
/**
 * How many subschemas (the root included) one may hold. Ajv's compile time grows with them, and a schema is compiled
 * at create and again whenever it is not in the cache: 999 typed properties took 190 to 360 ms of CPU, 999 `allOf`
 * members 270 to 630 ms (this 2-core machine, shared, load 18); 500 halves that.
 */
export const MAX_SUBSCHEMAS = 500;

const REF_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'] as const;

/** Why hookd will not run `schema` (the first reason found), or undefined. */
export function schemaLimitProblem(schema: SchemaObject): string | undefined {
  const bytes = JSON.stringify(schema).length;
  if (bytes > MAX_SCHEMA_BYTES) return `is ${bytes} bytes of JSON, more than the ${MAX_SCHEMA_BYTES} allowed`;
  const problems: string[] = [];
  let subschemas = 0;
  forEachSubschema(schema, (subschema, pointer, depth) => {
    subschemas += 1;
    if (problems.length > 0) return;
    const problem = subschemaProblem(subschema, pointer, depth);
    if (problem) problems.push(problem);
  });
  if (subschemas > MAX_SUBSCHEMAS) return `holds ${subschemas} subschemas, more than the ${MAX_SUBSCHEMAS} allowed`;
  return problems[0];
}

function subschemaProblem(schema: SchemaObject, pointer: string, depth: number): string | undefined {
  const at = pointer === '' ? 'at the root' : `at ${pointer}`;
  if (depth > MAX_SCHEMA_DEPTH) return `nests schemas more than ${MAX_SCHEMA_DEPTH} deep (${at})`;
  // An async schema makes Ajv's validator return a promise that rejects on bad data: publishing must know at once.
  if ('$async' in schema) return `uses $async (${at}), which hookd does not run: data is checked before the publish answers`;
  if (typeof schema.pattern === 'string') {
    const problem = patternProblem(schema.pattern);
    if (problem) return `has a pattern ${JSON.stringify(schema.pattern)} (${at}) that ${problem}`;
  }
  if (typeof schema.patternProperties === 'object' && schema.patternProperties !== null) {
    for (const pattern of Object.keys(schema.patternProperties)) {
      const problem = patternProblem(pattern);
      if (problem) return `has a patternProperties pattern ${JSON.stringify(pattern)} (${at}) that ${problem}`;
    }
  }
  for (const keyword of REF_KEYWORDS) {
    const ref = schema[keyword];
    if (typeof ref !== 'string') continue;
    const hash = ref.indexOf('#');
    if (hash >= 0 && pointerLeavesSchemas(ref.slice(hash + 1))) return `has a ${keyword} ${JSON.stringify(ref)} (${at}) that points into a value, not a schema`;
  }
  return undefined;
}
