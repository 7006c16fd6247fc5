// How big an event type's schema may be (bytes, depth, subschemas, array lengths), checked before Ajv sees it.
import { booleanSubschemaCount, forEachSubschema, type SchemaObject } from './json-schema-walk.js';

/** The largest schema, as JSON: big enough for any one event's data (a 500-property schema is about 20 KiB). */
export const MAX_SCHEMA_BYTES = 64 * 1024;
/** How many schemas deep one may nest (the root is 1): Ajv compiles recursively, and real schemas stay under 10. */
export const MAX_SCHEMA_DEPTH = 32;
/**
 * How many subschemas (the root included, and `true` or `false` in a list or map) one may hold. Ajv's compile time grows with them, and a schema is compiled
 * at create and again whenever it is not in the cache: 999 typed properties took 190 to 360 ms of CPU, 999 `allOf`
 * members 270 to 630 ms (this 2-core machine, shared, load 18); 500 halves that.
 */
export const MAX_SUBSCHEMAS = 500;
/**
 * The most items any array in a schema may hold (`enum`, `required`, `type`, `allOf`, `dependencies`' name lists, …),
 * room for an enum of every country code (249). Ajv compiles a list of names in `dependencies` or
 * `dependentRequired` (and `required` or `enum` under 200) into one expression, in time growing with the square of
 * its length: 64 KiB of 1,000-name lists took 4 s of CPU, of 500-name lists 1.0 to 1.1 s, of 256-name lists 0.3 to
 * 0.4 s, as much as 64 KiB of 50-name lists or of any other shape we tried (load 6 on this shared 2-core machine).
 */
export const MAX_ARRAY_ITEMS = 256;

/**
 * Why `schema` is too big to look at further, or undefined. Each pass is linear in the raw value and runs before Ajv
 * checks it against its meta-schema, whose own work can grow faster than the schema: an `enum` of 20,000 objects
 * (229 KB) took Ajv 8.8 s to find unique before hookd refused its size.
 */
export function schemaSizeProblem(schema: SchemaObject): string | undefined {
  const bytes = JSON.stringify(schema).length;
  if (bytes > MAX_SCHEMA_BYTES) return `is ${bytes} bytes of JSON, more than the ${MAX_SCHEMA_BYTES} allowed`;
  const longest = longestArray(schema);
  if (longest && longest.length > MAX_ARRAY_ITEMS) {
    return `has an array of ${longest.length} items (at ${longest.pointer}), more than the ${MAX_ARRAY_ITEMS} allowed`;
  }
  let subschemas = 0;
  let deepest: { depth: number; pointer: string } = { depth: 0, pointer: '' };
  forEachSubschema(schema, (subschema, pointer, depth) => {
    subschemas += 1 + booleanSubschemaCount(subschema);
    if (depth > deepest.depth) deepest = { depth, pointer };
  });
  if (subschemas > MAX_SUBSCHEMAS) return `holds ${subschemas} subschemas, more than the ${MAX_SUBSCHEMAS} allowed`;
  if (deepest.depth > MAX_SCHEMA_DEPTH)
    return `nests schemas more than ${MAX_SCHEMA_DEPTH} deep (at ${deepest.pointer})`;
  return undefined;
}

/** The longest array anywhere in `value` (schema or data in it), with its JSON pointer; the first of equals. */
function longestArray(value: unknown): { length: number; pointer: string } | undefined {
  let longest: { length: number; pointer: string } | undefined;
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [current, pointer] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      if (!longest || current.length > longest.length) longest = { length: current.length, pointer };
      current.forEach((item, n) => stack.push([item, `${pointer}/${n}`]));
    } else {
      for (const [key, item] of Object.entries(current))
        stack.push([item, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`]);
    }
  }
  return longest;
}
