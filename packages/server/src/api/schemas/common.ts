// Schema pieces shared by routes; they validate requests and generate /openapi.json.
import { Type, type TSchema, type Static } from '@sinclair/typebox';

/** `T | null` as one JSON Schema type list, so a wrong type gets one clear message. */
export function Nullable<T extends TSchema>(schema: T) {
  const type = (schema as { type?: string }).type;
  return Type.Unsafe<Static<T> | null>({ ...schema, type: type ? [type, 'null'] : undefined, nullable: undefined });
}

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ example: 'HOOKD_ERR_VALIDATION' }),
      message: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    }),
  },
  { $id: 'Error' },
);

export const DEFAULT_PAGE_LIMIT = 50;

// `limit` is optional in the document (clients generated from it may leave it out); validation fills in the default.
export const PageQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_PAGE_LIMIT, description: 'items per page' }),
  ),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' })),
});
export type PageQuery = Static<typeof PageQuery>;

export function ListOf<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), nextCursor: Nullable(Type.String()) });
}

export const Timestamp = Type.String({ format: 'date-time' });

/** Error responses every authenticated route may give. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries([400, 401, ...statuses].map((status) => [status, Type.Ref('Error')]));
}

/** A string from a fixed list, as one `enum` so a wrong value gets one message listing the choices. */
export function StringEnum<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}
