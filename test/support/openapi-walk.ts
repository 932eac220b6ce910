/** Reading the served OpenAPI document: every operation, its parameters and its body schema. */
export type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  example?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};

export type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema };

export type Operation = {
  method: string;
  path: string;
  operationId: string;
  parameters: Parameter[];
  body?: Schema;
  security: boolean;
  responses: Record<string, unknown>;
};

export type OpenApiDocument = {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
};

export const operationsOf = (doc: OpenApiDocument): Operation[] =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      operationId: op.operationId as string,
      parameters: (op.parameters ?? []) as Parameter[],
      body: op.requestBody?.content?.['application/json']?.schema as Schema | undefined,
      security: Array.isArray(op.security) && op.security.length > 0,
      responses: op.responses ?? {},
    })),
  );

export const resolve = (doc: OpenApiDocument, schema: Schema | undefined): Schema => {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 10; i++) s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] ?? {};
  if (s.allOf && s.allOf.length === 1) return resolve(doc, s.allOf[0]);
  return s;
};

/** A plausible valid value for a schema: its example, enum, or a typed default. */
export const exampleOf = (doc: OpenApiDocument, schema: Schema | undefined, depth = 0): unknown => {
  const s = resolve(doc, schema);
  if (depth > 8) return null;
  if (s.example !== undefined && s.type !== 'object') return s.example;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  switch (s.type) {
    case 'integer':
    case 'number':
      return s.minimum !== undefined ? Math.max(s.minimum, 1) : 1;
    case 'boolean':
      return true;
    case 'array':
      return [exampleOf(doc, s.items, depth + 1)];
    case 'string':
      return s.format === 'date' ? '2026-01-15' : 'sample';
    default:
      if (s.properties) {
        return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, exampleOf(doc, v, depth + 1)]));
      }
      return s.example ?? 'sample';
  }
};

/** Every (path into the body, schema) pair, for targeted mutations. */
export const bodyFields = (
  doc: OpenApiDocument,
  schema: Schema | undefined,
  prefix: string[] = [],
  depth = 0,
): Array<{ path: string[]; schema: Schema }> => {
  const s = resolve(doc, schema);
  if (depth > 6) return [];
  const own = prefix.length > 0 ? [{ path: prefix, schema: s }] : [];
  if (s.properties) {
    return own.concat(Object.entries(s.properties).flatMap(([k, v]) => bodyFields(doc, v, [...prefix, k], depth + 1)));
  }
  if (s.type === 'array' && s.items) return own.concat(bodyFields(doc, s.items, [...prefix, '0'], depth + 1));
  return own;
};

/** A copy of `value` with the node at `path` replaced (arrays and objects created as needed). */
export const setAt = (value: unknown, path: string[], replacement: unknown): unknown => {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[Number(head)] = setAt(copy[Number(head)], rest, replacement);
    return copy;
  }
  const base = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return { ...base, [head]: setAt(base[head], rest, replacement) };
};
