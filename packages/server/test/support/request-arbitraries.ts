// fast-check arbitraries of whole API requests to a route of /openapi.json: path, query, headers, body and key.
import fc from 'fast-check';
import { bodyFor } from './fuzz-bodies.js';
import type { ApiOperation, HttpMethod, Parameter, PathParameter } from './openapi-operations.js';
import { stringsOfLength, validValue, type FieldValues } from './schema-values.js';

export interface FuzzRequest {
  method: HttpMethod;
  /** Path and query, as sent. */
  url: string;
  /** Which of the test's keys it carries (the fuzz calls with an admin key and a workspace's plain key). */
  key: 'admin' | 'workspace';
  contentType: string | undefined;
  payload: string | Buffer | undefined;
  headers: Record<string, string>;
}

export interface FuzzContext {
  fields: FieldValues;
  /** Real ids and names for path parameters, by the segment before them ("webhooks" → webhook ids). */
  knownIds: Record<string, string[]>;
}

/** encodeURIComponent, but a lone surrogate (which it refuses) goes out as the invalid UTF-8 bytes of one. */
function percentEncode(text: string): string {
  return Array.from(text, (char) => (/^[\ud800-\udfff]$/.test(char) ? '%ED%A0%80' : encodeURIComponent(char))).join('');
}

const oddSegments = fc.constantFrom(
  '%00',
  'a%00b',
  '..',
  '.',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%2F',
  'a%2Fb',
  '%5C',
  '%ZZ',
  '%',
  '%C3%28',
  '%F0%9F%92%A9',
  '%E2%80%AE',
  '~',
  '*',
  '%20',
  '%27%3B%20DROP%20TABLE%20webhooks%3B--',
  'x'.repeat(511),
  'x'.repeat(513),
  'x'.repeat(5_000),
  `wh_${'Z'.repeat(26)}`,
  `dlv_${'0'.repeat(26)}`,
  'ws_',
  '0',
  '-1',
  'null',
  'undefined',
  'a.b',
  'a..b',
);

function pathValue(parameter: PathParameter, context: FuzzContext): fc.Arbitrary<string> {
  const own = context.knownIds[parameter.after] ?? [];
  const others = Object.values(context.knownIds).flat();
  const max = parameter.schema.maxLength ?? 512;
  const choices: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [
    { weight: 2, arbitrary: oddSegments },
    { weight: 1, arbitrary: stringsOfLength(max).map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom(...own, 'x').map((id) => percentEncode(id.padEnd(max, '0'))) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(percentEncode) },
  ];
  if (own.length > 0) choices.push({ weight: 5, arbitrary: fc.constantFrom(...own).map(percentEncode) });
  if (others.length > 0) choices.push({ weight: 1, arbitrary: fc.constantFrom(...others).map(percentEncode) });
  return fc.oneof(...choices);
}

const oddQueryValue = fc.oneof(
  fc.constantFrom(
    '',
    'abc',
    '-1',
    '0',
    '1.5',
    '1e3',
    '101',
    '99999999999999999999',
    'true',
    '[]',
    '{}',
    '%00',
    '%ZZ',
    'x'.repeat(5_000),
    '%C3%28',
  ),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(percentEncode),
);

function queryPart(parameter: Parameter, context: FuzzContext): fc.Arbitrary<string[]> {
  const valid = validValue(parameter.schema, parameter.name, context.fields).map(
    (value) => `${parameter.name}=${percentEncode(String(value))}`,
  );
  const odd = oddQueryValue.map((value) => `${parameter.name}=${value}`);
  // Mostly left out or valid, so that a request with several parameters often gets past the first; repeated
  // parameters arrive as an array where the schema expects one value.
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant<string[]>([]) },
    { weight: 3, arbitrary: valid.map((part) => [part]) },
    { weight: 1, arbitrary: odd.map((part) => [part]) },
    { weight: 1, arbitrary: fc.array(fc.oneof(valid, odd), { minLength: 2, maxLength: 3 }) },
  );
}

function queryOf(operation: ApiOperation, context: FuzzContext): fc.Arbitrary<string> {
  const unknown = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ maxLength: 8 }), oddQueryValue)
        .map(([name, value]) => `${percentEncode(name)}=${value}`),
    },
  );
  return fc
    .tuple(fc.tuple(...operation.query.map((parameter) => queryPart(parameter, context))), unknown)
    .map(([parts, extra]) => {
      const all = [...parts.flat(), ...(extra === undefined ? [] : [extra])];
      return all.length === 0 ? '' : `?${all.join('&')}`;
    });
}

/** Header values must be printable ASCII for Node to send them at all. */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

function headersOf(operation: ApiOperation): fc.Arbitrary<Record<string, string>> {
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.stringMatching(/^[!-~]{1,40}$/) },
    { weight: 1, arbitrary: fc.oneof(headerText(40), headerText(400), fc.constant('')) },
  );
  const entries = operation.headers.map((parameter) => value.map((text) => [parameter.name, text] as const));
  return fc
    .tuple(...entries)
    .map((pairs) => Object.fromEntries(pairs.filter(([, value]) => value !== undefined)) as Record<string, string>);
}

/** Requests to `operation`: its path parameters, query, headers and body each valid, odd or malformed. */
export function requestFor(operation: ApiOperation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const pathValues = fc.tuple(...operation.pathParameters.map((parameter) => pathValue(parameter, context)));
  return fc
    .record({
      pathValues,
      query: queryOf(operation, context),
      headers: headersOf(operation),
      body: bodyFor(operation, context.fields),
      key: fc.constantFrom<FuzzRequest['key']>('admin', 'workspace'),
    })
    .map(({ pathValues: values, query, headers, body, key }) => {
      let index = 0;
      const path = operation.path.replace(/\{\w+\}/g, () => values[index++]!);
      return { method: operation.method, url: `${path}${query}`, key, headers, ...body };
    });
}
