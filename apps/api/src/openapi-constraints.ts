import { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

type SchemaObject = Record<string, any>;
type Meta = { propertyName: string; name?: string; constraints?: unknown[]; each?: boolean; target: Function | string };

/** class-validator's numeric bounds and the OpenAPI keywords they are written as. */
const NUMERIC_BOUNDS: Readonly<Partial<Record<string, 'minimum' | 'maximum' | 'minLength' | 'maxLength'>>> = {
  min: 'minimum',
  max: 'maximum',
  minLength: 'minLength',
  maxLength: 'maxLength',
};

/**
 * Writes what class-validator enforces into the schemas @nestjs/swagger generated from the same
 * classes, so the document tells the truth about integers (type, minimum, maximum) and strings
 * (maxLength, pattern, format) without repeating each rule in an @ApiProperty.
 */
export const withValidationConstraints = (doc: OpenAPIObject): OpenAPIObject => {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, Meta[]> };
  const byName = new Map<string, Meta[]>();
  for (const [target] of storage.validationMetadatas ?? new Map()) {
    // A class's own rules and its ancestors' (a query class extending PagedReadModelQuery).
    const all: Meta[] = [];
    for (let t: Function | null = target; t && t !== Function.prototype; t = Object.getPrototypeOf(t))
      all.push(...(storage.validationMetadatas.get(t) ?? []));
    byName.set(target.name, all);
  }
  for (const [name, schema] of Object.entries((doc.components?.schemas ?? {}) as Record<string, SchemaObject>)) {
    const metas = byName.get(name);
    if (!metas || !schema.properties) continue;
    for (const meta of metas) {
      const property = schema.properties[meta.propertyName] as SchemaObject | undefined;
      if (!property || property.$ref) continue;
      const target: SchemaObject =
        meta.each && property.type === 'array' && property.items && !property.items.$ref ? property.items : property;
      const [first] = meta.constraints ?? [];
      const bound = meta.name === undefined ? undefined : NUMERIC_BOUNDS[meta.name];
      if (bound !== undefined) {
        if (typeof first === 'number') target[bound] ??= first;
        continue;
      }
      switch (meta.name) {
        case 'isInt':
          target.type = 'integer';
          break;
        case 'matches':
          if (first instanceof RegExp) target.pattern ??= first.source;
          break;
        case 'isIso8601':
        case 'isDateString':
          target.format ??= 'date-time';
          break;
        case 'isUuid':
          target.format ??= 'uuid';
          break;
        case 'isIn':
          if (Array.isArray(first) && !target.enum) target.enum = first;
          break;
      }
    }
  }
  return doc;
};
