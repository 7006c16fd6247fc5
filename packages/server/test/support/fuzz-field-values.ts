// Valid values for the request fields whose schema says less than hookd checks, for the route fuzz.
import fc from 'fast-check';
import { hookdFieldHints } from './plausible-values.js';
import type { FieldValues } from './schema-values.js';

/** A few event names shared by event types and publishes, so that publishes meet the schemas the fuzz stored. */
const EVENT_NAMES = ['order.paid', 'order.refunded', 'user.created', 'user.deleted'];

/**
 * JSON Schemas a tenant may store on an event type, mixing keywords that change how a schema runs ($async, 2020-12's
 * $dynamicRef) with ordinary ones. Patterns are left to the hostile-schema tests: a ReDoS here would hang this run
 * rather than fail it.
 */
const dataSchema = fc.record(
  {
    $schema: fc.constant('https://json-schema.org/draft/2020-12/schema'),
    $async: fc.boolean(),
    $dynamicRef: fc.constantFrom('#', '#meta'),
    $dynamicAnchor: fc.constant('meta'),
    type: fc.constantFrom('object', 'string', 'integer', 'array'),
    required: fc.constant(['n']),
    properties: fc.constant({ n: { type: 'integer', minimum: 0 } }),
    maxLength: fc.nat(10),
    uniqueItems: fc.boolean(),
  },
  { requiredKeys: [] },
);

export function fuzzFieldValues(receiverUrl: string): FieldValues {
  const hinted = Object.entries(hookdFieldHints(receiverUrl)).map(([field, value]) => [field, fc.constant(value)]);
  const eventName = fc.constantFrom(...EVENT_NAMES);
  return {
    ...Object.fromEntries(hinted),
    schema: fc.oneof({ weight: 4, arbitrary: dataSchema }, { weight: 1, arbitrary: fc.constant(null) }),
    // Event types, workspaces and keys are all named; an event name is a good name for each of them.
    name: eventName,
    type: eventName,
    event: eventName,
    id: fc.uuid(),
  };
}
