// Puts a work meter in every subschema, so each time Ajv applies one to a value, the check's budget pays for it.
import type { FuncKeywordDefinition } from 'ajv';
import { forEachSubschema, VALUE_KEYWORDS, type SchemaObject } from './json-schema-walk.js';
import { spendWork, widthOf } from './json-schema-work.js';

/** The keyword added to each subschema of the compiled copy; its value is what applying that subschema costs. */
export const WORK_KEYWORD = 'x-hookd-work';

/**
 * Units every application of a subschema costs, whatever it holds (a function call or two and their bookkeeping):
 * 900 `allOf` members of one keyword each, applied to 100,000 array items, ran at 300 to 450 ns an application.
 */
const APPLY_COST = 20;

export const workKeyword: FuncKeywordDefinition = {
  keyword: WORK_KEYWORD,
  schemaType: 'number',
  errors: false,
  // Keywords such as `required`, `enum` and `maxLength` cost in proportion to their own size and to the value's width.
  validate: (cost: number, data: unknown) => {
    // withWorkMeters() sets every cost; a tenant's own value of this keyword never lowers what a check spends.
    spendWork(Math.max(cost, APPLY_COST) + widthOf(data));
    return true;
  },
};

/**
 * What applying `schema` itself costs, besides the width of the value: a unit a keyword, and one per 4 bytes of
 * values (`required` with 3,000 names ran at 70 ns a name per object checked) or per entry Ajv steps through (a
 * property, a member of `allOf`; `dependencies`' lists of names by their bytes). Subschemas pay for themselves.
 */
function ownCost(schema: SchemaObject): number {
  let valueBytes = 0;
  for (const [keyword, value] of Object.entries(schema)) {
    if (VALUE_KEYWORDS.has(keyword) || typeof value !== 'object' || value === null) {
      valueBytes += JSON.stringify(value)?.length ?? 0;
      continue;
    }
    for (const entry of Object.values(value)) valueBytes += Array.isArray(entry) ? JSON.stringify(entry).length : 4;
  }
  return APPLY_COST + Object.keys(schema).length + Math.ceil(valueBytes / 4);
}

/** Units one error costs as Ajv records it; copying errors from a $ref's function costs a unit each. */
const ERROR_COST = 8;

/** The name under which Ajv's generated code (where `self` is the Ajv instance) reaches spendWork. */
export const SPEND_WORK_MEMBER = 'hookdSpendWork';

/**
 * For Ajv's `code.process`: makes the generated code spend work on every error it records and on every copy of
 * errors it makes after a $ref fails. Without this, `anyOf` over $refs that fail piles up and copies errors far
 * faster than the subschemas it applies cost: one schema of 40 nested anyOfs took 4 GB.
 */
export function meterErrorsInCode(code: string): string {
  const spend = `self.${SPEND_WORK_MEMBER}`;
  return code
    .replaceAll('errors++;', `errors++;${spend}(${ERROR_COST});`)
    .replaceAll('errors = vErrors.length;', `errors = vErrors.length;${spend}(errors);`);
}

/** A copy of `schema` with the work meter in every subschema (the stored schema stays as the tenant wrote it). */
export function withWorkMeters(schema: SchemaObject): SchemaObject {
  const copy = structuredClone(schema);
  forEachSubschema(copy, (subschema) => {
    subschema[WORK_KEYWORD] = ownCost(subschema);
  });
  return copy;
}
