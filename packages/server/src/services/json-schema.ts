// Compiles the JSON Schemas of event types: draft-07 by default (what most people write), 2020-12 when declared.
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

// addUsedSchema: false, so a schema's own $id is not registered: two event types may share one, and a type may be
// re-created with the same schema.
const draft07 = new Ajv({ allErrors: true, strict: false, addUsedSchema: false });
const draft2020 = new Ajv2020({ allErrors: true, strict: false, addUsedSchema: false });

function ajvFor(schema: Record<string, unknown>): Ajv {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  return declared.includes('2020-12') ? draft2020 : draft07;
}

/** Throws with Ajv's reason when `schema` is not a schema Ajv can compile. */
export function compileDataSchema(schema: Record<string, unknown>): ValidateFunction {
  return ajvFor(schema).compile(schema);
}

/** Why `schema` does not compile, or undefined. Leaves nothing behind in Ajv's cache. */
export function dataSchemaProblem(schema: Record<string, unknown>): string | undefined {
  const ajv = ajvFor(schema);
  try {
    ajv.compile(schema);
    return undefined;
  } catch (error) {
    return `is not a valid JSON Schema: ${(error as Error).message}`;
  } finally {
    ajv.removeSchema(schema);
  }
}
