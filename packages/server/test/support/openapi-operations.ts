// Every operation of the app's own /openapi.json, so that suites covering "every route" cover routes added later too.
import type { TestApp } from './test-app.js';

/** The part of JSON Schema the route schemas use. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  example?: unknown;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

export interface Parameter {
  name: string;
  schema: JsonSchema;
}

/** A path parameter, with the path segment before it ("webhooks" for /webhooks/{id}): together they say what it names. */
export interface PathParameter extends Parameter {
  after: string;
}

export interface ApiOperation {
  method: HttpMethod;
  /** As documented: /api/v1/webhooks/{id} */
  path: string;
  /** "POST /api/v1/webhooks/{id}/test" */
  label: string;
  pathParameters: PathParameter[];
  query: Parameter[];
  headers: Parameter[];
  /** The JSON request body's schema, when the operation takes one. */
  body: JsonSchema | undefined;
  /** The statuses it documents ("200", "404", …). */
  statuses: string[];
}

interface DocumentedOperation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, unknown>;
}

function pathParametersOf(path: string, documented: Parameter[]): PathParameter[] {
  const segments = path.split('/');
  return segments.flatMap((segment, i) => {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (name === undefined) return [];
    return [{ name, after: segments[i - 1] ?? '', schema: documented.find((p) => p.name === name)?.schema ?? {} }];
  });
}

/** Every operation of the document the app serves, in document order. */
export async function apiOperations(t: TestApp): Promise<ApiOperation[]> {
  const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`/openapi.json answered ${response.statusCode}`);
  const document = response.json<{ paths: Record<string, Record<string, DocumentedOperation>> }>();
  const operations: ApiOperation[] = [];
  for (const [path, byMethod] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(byMethod)) {
      const parameters = operation.parameters ?? [];
      const inPart = (part: string): Parameter[] =>
        parameters.filter((p) => p.in === part).map((p) => ({ name: p.name, schema: p.schema ?? {} }));
      const upper = method.toUpperCase() as HttpMethod;
      operations.push({
        method: upper,
        path,
        label: `${upper} ${path}`,
        pathParameters: pathParametersOf(path, inPart('path')),
        query: inPart('query'),
        headers: inPart('header'),
        body: operation.requestBody?.content?.['application/json']?.schema,
        statuses: Object.keys(operation.responses ?? {}),
      });
    }
  }
  return operations;
}

/** The path with each {param} replaced by its value, used as given (encode it first when it should be). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return value;
  });
}
