// Where a JSON Schema (draft-07 or 2020-12) holds subschemas, and a walk over every one of them.

/** Keywords whose value is one subschema. */
const SINGLE = new Set([
  'additionalItems',
  'items',
  'contains',
  'additionalProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
]);
/** Keywords whose value is an array of subschemas (`items` too, in draft-07's tuple form). */
const LISTS = new Set(['items', 'prefixItems', 'allOf', 'anyOf', 'oneOf']);
/** Keywords whose value maps names to subschemas (`dependencies` also maps to arrays of names). */
const MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);
/**
 * Keywords whose value is data or annotation, never a schema. Anything else holding an object is walked as a schema:
 * Ajv follows a `$ref` pointer into any part of a schema, so an object under an unknown keyword may become one.
 */
export const VALUE_KEYWORDS = new Set([
  'enum',
  'const',
  'default',
  'examples',
  'required',
  'dependentRequired',
  '$vocabulary',
  'title',
  'description',
  '$comment',
]);

export type SchemaObject = Record<string, unknown>;

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Calls `visit` with every schema object in `root` (itself included), its JSON pointer and how many schemas deep it
 * sits (the root is 1), parents first.
 */
export function forEachSubschema(
  root: SchemaObject,
  visit: (schema: SchemaObject, pointer: string, depth: number) => void,
): void {
  const stack: [SchemaObject, string, number][] = [[root, '', 1]];
  while (stack.length > 0) {
    const [schema, pointer, depth] = stack.pop()!;
    visit(schema, pointer, depth);
    for (const [keyword, value] of Object.entries(schema)) {
      if (VALUE_KEYWORDS.has(keyword)) continue;
      const at = `${pointer}/${escapePointer(keyword)}`;
      if (MAPS.has(keyword) && isSchemaObject(value)) {
        for (const [name, sub] of Object.entries(value))
          if (isSchemaObject(sub)) stack.push([sub, `${at}/${escapePointer(name)}`, depth + 1]);
      } else if (Array.isArray(value)) {
        value.forEach((sub, n) => isSchemaObject(sub) && stack.push([sub, `${at}/${n}`, depth + 1]));
      } else if (isSchemaObject(value)) {
        stack.push([value, at, depth + 1]);
      }
    }
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Whether the JSON pointer `fragment` (the part of a `$ref` after `#`) can lead into data rather than a subschema,
 * as `#/enum/0` or `#/$defs/a/default` do: such a target would be compiled without the work meter.
 */
export function pointerLeavesSchemas(fragment: string): boolean {
  if (!fragment.startsWith('/')) return false;
  // After `items` or an unknown keyword the value may be a schema or an array of them: an index, or a keyword.
  let at: 'schema' | 'name' | 'element' | 'either' = 'schema';
  for (const segment of fragment.slice(1).split('/').map(unescapeSegment)) {
    if (at === 'name' || at === 'element' || (at === 'either' && /^\d+$/.test(segment))) {
      at = 'schema';
      continue;
    }
    if (VALUE_KEYWORDS.has(segment)) return true;
    if (MAPS.has(segment)) at = 'name';
    else if (SINGLE.has(segment) && !LISTS.has(segment)) at = 'schema';
    else if (LISTS.has(segment) && !SINGLE.has(segment)) at = 'element';
    else at = 'either';
  }
  return false;
}

function unescapeSegment(segment: string): string {
  let text = segment;
  try {
    text = decodeURIComponent(segment);
  } catch {
    // Not percent-encoded after all: taken as it is.
  }
  return text.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * How many `true` and `false` schemas `schema` holds in its lists and maps (`allOf`, `properties`, …). Ajv compiles
 * each like any other subschema: 5,000 `false` patternProperties (63 KB) took 9 s and then overflowed the stack.
 * A single-schema keyword's boolean (`additionalProperties: false`) is left out: there are few of those a schema.
 */
export function booleanSubschemaCount(schema: SchemaObject): number {
  let count = 0;
  const countBooleans = (values: unknown[]) =>
    values.reduce<number>((sum, value) => sum + (typeof value === 'boolean' ? 1 : 0), 0);
  for (const [keyword, value] of Object.entries(schema)) {
    if (VALUE_KEYWORDS.has(keyword)) continue;
    if (MAPS.has(keyword) && isSchemaObject(value)) count += countBooleans(Object.values(value));
    else if (LISTS.has(keyword) && Array.isArray(value)) count += countBooleans(value);
  }
  return count;
}
