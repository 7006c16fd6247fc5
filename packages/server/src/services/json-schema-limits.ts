// What hookd refuses in a valid event-type schema before compiling it: async, or unsafe to run (sizes: json-schema-size.ts).
import { patternProblem } from './json-schema-regexp.js';
import { forEachSubschema, pointerLeavesSchemas, type SchemaObject } from './json-schema-walk.js';

const REF_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'] as const;

/** Why hookd will not run `schema` (the first reason found), or undefined. Call it on a schema of bounded size. */
export function schemaLimitProblem(schema: SchemaObject): string | undefined {
  let problem: string | undefined;
  forEachSubschema(schema, (subschema, pointer) => {
    problem ??= subschemaProblem(subschema, pointer);
  });
  return problem;
}

function subschemaProblem(schema: SchemaObject, pointer: string): string | undefined {
  const at = pointer === '' ? 'at the root' : `at ${pointer}`;
  // An async schema makes Ajv's validator return a promise that rejects on bad data: publishing must know at once.
  if ('$async' in schema)
    return `uses $async (${at}), which hookd does not run: data is checked before the publish answers`;
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
    if (hash >= 0 && pointerLeavesSchemas(ref.slice(hash + 1)))
      return `has a ${keyword} ${JSON.stringify(ref)} (${at}) that points into a value, not a schema`;
  }
  return undefined;
}
