import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AnyProjection } from '@salesline/core';
import type { Config, SchemaGenerator } from 'ts-json-schema-generator';

/** One field of a read-model document, as its TypeScript type declares it: dotted path (`[]` for list items), type, doc comment. */
export type DocumentField = Readonly<{ path: string; type: string; comment: string | null }>;

type Schema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: boolean | Schema;
  description?: string;
};

const isObject = (s: Schema) => s.type === 'object' || s.properties !== undefined;
const literal = (v: unknown) => (v === null ? '`null`' : `\`${JSON.stringify(v)}\``);

const typeName = (s: Schema): string => {
  if (s.const !== undefined) return literal(s.const);
  if (s.enum) return s.enum.map(literal).join(' \\| ');
  if (s.anyOf) return [...new Set(s.anyOf.map(typeName))].join(' \\| ');
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  if (s.type === 'array') return 'list';
  if (s.type === 'integer') return 'number';
  if (isObject(s)) return s.properties ? 'object' : 'map';
  return s.type ?? 'any';
};

/** Variants of one document (a state by status, a price source by kind) merged: every field any variant has, with every type it takes. */
const merged = (objects: Schema[]): Schema => {
  const properties: Record<string, Schema[]> = {};
  for (const o of objects) for (const [name, field] of Object.entries(o.properties ?? {})) (properties[name] ??= []).push(field);
  return {
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, variants]) => {
        const distinct = [...new Map(variants.map((v) => [JSON.stringify({ ...v, description: undefined }), v])).values()];
        const description = variants.find((v) => v.description)?.description;
        return [name, distinct.length === 1 ? distinct[0] : { anyOf: distinct, description }];
      }),
    ),
  };
};

/** The object a field holds, when it holds objects (alone, in variants, or beside null): their fields are listed under it. */
const objectOf = (s: Schema): Schema | null => {
  if (isObject(s) && s.properties) return s;
  const members = s.anyOf ?? [];
  const objects = members.filter((m) => isObject(m) && m.properties);
  return objects.length > 0 && members.every((m) => objects.includes(m) || m.type === 'null') ? merged(objects) : null;
};

const flatten = (s: Schema, prefix: string, out: DocumentField[]) => {
  for (const [name, field] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push({ path, type: typeName(field), comment: field.description?.replace(/\s+/g, ' ').trim() || null });
    const inner = objectOf(field);
    if (inner) flatten(inner, path, out);
    const item = field.type === 'array' && field.items ? objectOf(field.items) : null;
    if (item) flatten(item, `${path}[]`, out);
  }
  return out;
};

/**
 * The documentation generators' one ts-json-schema-generator setup (scripts/documented-schema-generator.js, shared
 * with the event catalog script): open object schemas, extended JSDoc, and field comments kept through
 * intersections, Omit/Pick/Readonly and `extends`. Loaded from the repository root (`root`), from sources and builds alike.
 */
export const documentedSchemaGenerator = (root: string, config: Config & { path: string; type: string }): SchemaGenerator => {
  const load = createRequire(join(root, 'package.json'));
  const shared = load('./scripts/documented-schema-generator.js') as { documentedSchemaGenerator: (config: Config) => SchemaGenerator };
  return shared.documentedSchemaGenerator({ tsconfig: join(root, 'tsconfig.json'), ...config });
};

/** The documentation a projection carries on its definition (every registered read model has one). */
export const documentationOf = (projection: AnyProjection) => {
  if (!projection.documentation) throw new Error(`read model ${projection.name} has no documentation on its definition`);
  return projection.documentation;
};

/**
 * A type with one property per collection, each the document type its projection's documentation names
 * (imported from `@salesline/<context>`): what ts-json-schema-generator reads the fields from.
 */
export const readModelDocumentsSource = (projections: readonly AnyProjection[]): string => {
  const imports = new Map<string, Set<string>>();
  const members = projections.map((p) => {
    const { context, document } = documentationOf(p);
    const names = document.split('|').map((n) => n.trim());
    for (const name of names) imports.set(context, (imports.get(context) ?? new Set()).add(name));
    return `  ${p.collection}: ${names.join(' | ')};`;
  });
  return [
    ...[...imports].map(([context, names]) => `import type { ${[...names].join(', ')} } from '@salesline/${context}';`),
    'export type ReadModelDocuments = {',
    ...members,
    '};',
    '',
  ].join('\n');
};

/**
 * Every field of every read model's document, by collection, generated from the TypeScript types its
 * projection's documentation names (so a field added to a document type appears here, and in the docs).
 */
export const documentFields = (root: string, projections: readonly AnyProjection[]): Record<string, DocumentField[]> => {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, '.tmp', 'read-model-documents-'));
  const path = join(dir, 'read-model-documents.ts');
  writeFileSync(path, readModelDocumentsSource(projections));
  try {
    const generator = documentedSchemaGenerator(root, { path, type: 'ReadModelDocuments' });
    const schema = generator.createSchema('ReadModelDocuments') as Schema;
    return Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([collection, doc]) => [collection, flatten(objectOf(doc) ?? doc, '', [])]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
