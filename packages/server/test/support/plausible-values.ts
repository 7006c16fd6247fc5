// Plausible, valid request values built from a route's JSON Schema, with hints for the rules a schema does not carry.
import type { JsonSchema } from './openapi-operations.js';

/** Known-good values by field name: what a schema types as "string" but the API checks further (a URL, a secret…). */
export type FieldHints = Record<string, unknown>;

/**
 * Hints for hookd's fields. URLs point at a receiver on 127.0.0.1 the test runs, so that whatever a test creates
 * sends nothing anywhere else. Fields with an `example` in their schema (events, durations, event names) need none.
 */
export function hookdFieldHints(receiverUrl: string): FieldHints {
  return {
    url: receiverUrl,
    alertUrl: receiverUrl,
    alertEmail: 'ops@example.com',
    autoDisableAfter: '5d',
    secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
    headers: { 'X-Tenant': 'acme' },
    filter: { 'data.amount': { $gt: 1 } },
    schema: { type: 'object' },
  };
}

function firstType(schema: JsonSchema): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  return types.find((type) => type !== 'null');
}

/** One valid value for `schema` (the field named `field`), the same every time. */
export function plausibleValue(schema: JsonSchema, field: string, hints: FieldHints): unknown {
  if (field in hints) return hints[field];
  if (schema.example !== undefined) return schema.example;
  if (schema.enum !== undefined) return schema.enum[0];
  switch (firstType(schema)) {
    case 'string':
      if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (schema.format === 'email') return 'ops@example.com';
      return 'plausible';
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [plausibleValue(schema.items ?? {}, field, hints)];
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([name, property]) => [
          name,
          plausibleValue(property, name, hints),
        ]),
      );
    default:
      return { plausible: true };
  }
}
