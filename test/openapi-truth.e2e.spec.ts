import { ModulesContainer } from '@nestjs/core';
import { RunningApp, startInProcessApp } from './support/in-process-app';
import { OpenApiDocument, operationsOf, Schema } from './support/openapi-walk';

/** Every field of a schema (through $ref, allOf and arrays) that is a number not bounded as an integer, or a string without a bound. */
const unboundedFields = (doc: OpenApiDocument, schema: Schema | undefined, at: string, seen = new Set<string>()): string[] => {
  if (!schema) return [];
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return [];
    seen.add(name);
    return unboundedFields(doc, doc.components.schemas[name], name, seen);
  }
  const parts = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  const own: string[] = [];
  if (schema.type === 'number' || (schema.type === 'integer' && (schema.minimum === undefined || schema.maximum === undefined)))
    own.push(`${at}: ${schema.type} without integer bounds`);
  if (schema.type === 'string' && !schema.enum && schema.maxLength === undefined && !schema.pattern && !schema.format)
    own.push(`${at}: string without maxLength, pattern or format`);
  return [
    ...own,
    ...parts.flatMap((p) => unboundedFields(doc, p, at, seen)),
    ...Object.entries(schema.properties ?? {}).flatMap(([k, v]) => unboundedFields(doc, v, `${at}.${k}`, seen)),
    ...(schema.items ? unboundedFields(doc, schema.items, `${at}[]`, seen) : []),
  ];
};

/** @nestjs/swagger's metadata keys (its DECORATORS constants, not exported from the package entry). */
const DECORATORS = {
  API_MODEL_PROPERTIES: 'swagger/apiModelProperties',
  API_MODEL_PROPERTIES_ARRAY: 'swagger/apiModelPropertiesArray',
  API_RESPONSE: 'swagger/apiResponse',
};

type Ctor = abstract new (...args: never[]) => unknown;
const isClass = (value: unknown): value is Ctor => typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));

/** The classes a property's @ApiProperty names (a class, [Class], or a lazy () => Class). */
const typesOf = (meta: { type?: unknown } | undefined): Ctor[] => {
  let type = meta?.type;
  if (Array.isArray(type)) type = type[0];
  if (
    typeof type === 'function' &&
    !isClass(type) &&
    type.length === 0 &&
    !['String', 'Number', 'Boolean', 'Object', 'Date', 'Array'].includes(type.name)
  ) {
    try {
      type = (type as () => unknown)();
    } catch {
      return [];
    }
    if (Array.isArray(type)) type = type[0];
  }
  return isClass(type) ? [type] : [];
};

/** The served OpenAPI document tells the truth about answers, inputs and credentials. */
describe('The OpenAPI document', () => {
  let app: RunningApp;
  let doc: OpenApiDocument & { components: { securitySchemes: Record<string, any> } };
  beforeAll(async () => {
    app = await startInProcessApp();
    doc = (await app.http.get('/docs-json')).body;
  });
  afterAll(() => app.close());

  it('documents 401, 403 and 429 on every authenticated operation, and 415 wherever a body is read', () => {
    const missing = operationsOf(doc).flatMap((op) =>
      [...(op.security ? ['401', '403'] : []), ...(op.path.startsWith('/api') ? ['400', '429'] : []), ...(op.body ? ['413', '415'] : [])]
        .filter((code) => !(code in op.responses))
        .map((code) => `${op.method} ${op.path} ${code}`),
    );
    expect(missing).toEqual([]);
  });

  it('documents the real credential format', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.bearer.description).toContain('HS256');
    expect(doc.components.securitySchemes.bearer.description).toContain('slk_');
  });

  it('bounds every field of every answer it describes: integers with minimum and maximum, strings with maxLength, pattern or format', () => {
    const unbounded = operationsOf(doc).flatMap((op) =>
      Object.entries(op.responses as Record<string, { content?: Record<string, { schema?: Schema }> }>).flatMap(([status, response]) =>
        Object.values(response.content ?? {}).flatMap((media) => unboundedFields(doc, media.schema, `${op.method} ${op.path} ${status}`)),
      ),
    );
    expect([...new Set(unbounded)]).toEqual([]);
  });

  it('names each schema once: no two classes of the API share a schema name (one would silently replace the other)', () => {
    const byName = new Map<string, Set<Ctor>>();
    const visit = (type: Ctor) => {
      const classes = byName.get(type.name) ?? new Set<Ctor>();
      if (classes.has(type)) return;
      classes.add(type);
      byName.set(type.name, classes);
      const properties: string[] = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, type.prototype) ?? [];
      for (const key of properties)
        for (const nested of typesOf(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, type.prototype, key.replace(/^:/, ''))))
          visit(nested);
      const parent = Object.getPrototypeOf(type);
      if (isClass(parent)) visit(parent);
    };
    let controllers = 0;
    for (const module of app.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as Ctor | null;
        if (!controller) continue;
        controllers++;
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const method = (controller.prototype as Record<string, unknown>)[name];
          if (name === 'constructor' || typeof method !== 'function') continue;
          const params: unknown[] = Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? [];
          const responses: Record<string, { type?: unknown }> = Reflect.getMetadata(DECORATORS.API_RESPONSE, method) ?? {};
          for (const type of [...params.filter(isClass), ...Object.values(responses).flatMap(typesOf)])
            if (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, type.prototype)) visit(type);
        }
      }
    }
    expect(controllers).toBeGreaterThan(30);
    expect(byName.size).toBeGreaterThanOrEqual(Object.keys(doc.components.schemas).length);
    const twice = [...byName.entries()].filter(([, classes]) => classes.size > 1).map(([name, classes]) => `${name} × ${classes.size}`);
    expect(twice).toEqual([]);
  });

  it('has one reason field (ReasonBody, which every body with a reason extends), and integer inputs with their bounds as validated', () => {
    const schemas = doc.components.schemas as Record<string, any>;
    // every action that takes a reason now also takes its business date, so each extends ReasonBody under its own name
    for (const name of ['CancelMeetingBody', 'CancelBody', 'BlockCustomerBody', 'RefuseReturnBody'])
      expect([name, schemas[name].properties.reason]).toEqual([name, expect.objectContaining({ maxLength: 2000, pattern: '\\S' })]);
    expect(schemas.RegisterCustomerBody.properties.paymentTermsDays).toMatchObject({ type: 'integer', minimum: 0, maximum: 365 });
    const unbounded = Object.entries(schemas)
      .filter(([name]) => name.endsWith('Body'))
      .flatMap(([name, s]) =>
        Object.entries((s.properties ?? {}) as Record<string, any>)
          .filter(([, p]) => p.type === 'number' || (p.type === 'integer' && (p.minimum === undefined || p.maximum === undefined)))
          .map(([k]) => `${name}.${k}`),
      );
    expect(unbounded).toEqual([]);
  });
});
