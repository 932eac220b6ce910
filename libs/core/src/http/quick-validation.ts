import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { validationMetadataGeneration } from './validation-metadata';

type Dto = new () => object;

/** The part of class-transformer's metadata storage the quick path reads (`class-transformer/cjs/storage`, no typings of its own). */
type TransformerStorage = {
  findTypeMetadata(
    target: Dto,
    property: string,
  ): { typeFunction?: (options?: unknown) => unknown; options?: { discriminator?: unknown } } | undefined;
  findTransformMetadatas(target: Dto, property: string, transformationType: number): unknown[];
  getExposedMetadatas(target: Dto): unknown[];
  getExcludedMetadatas(target: Dto): unknown[];
  getStrategy(target: Dto): string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformerStorage = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerStorage })
  .defaultMetadataStorage;
/** class-transformer's TransformationType.PLAIN_TO_CLASS. */
const PLAIN_TO_CLASS = 0;

type Check = Readonly<{
  metadata: ValidationMetadata;
  validators: readonly { validate: (value: unknown, args: ValidationArguments) => unknown }[];
}>;
type Property = Readonly<{
  name: string;
  /** IsOptional / ValidateIf: the property is checked only when every condition holds. */
  conditions: readonly ((object: object, value: unknown) => boolean)[];
  checks: readonly Check[];
  /** ValidateNested: the value (or each item) must be an instance of a class with rules of its own. */
  nested: boolean;
  /** The class `@Type` names for the value (or each item), when it is a body class of its own. */
  type: Dto | null;
}>;
type Plan = Readonly<{ dto: Dto; properties: readonly Property[]; byName: ReadonlyMap<string, Property> }>;

/** Thrown while planning a class the quick path does not cover: its bodies always take the full pipe. */
class NotCovered extends Error {}

const plans = new WeakMap<Dto, Readonly<{ generation: number; plan: Plan | null }>>();

/**
 * The quick path's plan of a body class: its properties with their rules, read once from class-validator's and
 * class-transformer's metadata. Null when the class (or a class nested in it) uses anything but synchronous rules,
 * conditions, nested bodies and `@Type` to a body class: such bodies are always checked by the full pipe.
 */
const planOf = (dto: Dto): Plan | null => {
  const generation = validationMetadataGeneration();
  const known = plans.get(dto);
  if (known && known.generation === generation) return known.plan;
  let plan: Plan | null;
  try {
    plan = buildPlan(dto, new Map());
  } catch (err) {
    if (!(err instanceof NotCovered)) throw err;
    plan = null;
  }
  plans.set(dto, { generation, plan });
  return plan;
};

const buildPlan = (dto: Dto, planning: Map<Dto, Plan>): Plan => {
  const existing = planning.get(dto);
  if (existing) return existing;
  const storage = getMetadataStorage();
  // As the validator asks for them (no schema, no groups, not `always`): ValidationPipe passes none of these.
  const metadatas = storage.getTargetValidationMetadatas(dto, undefined as unknown as string, false, false, undefined);
  if (metadatas.length === 0) throw new NotCovered();
  if (transformerStorage.getStrategy(dto) !== 'none') throw new NotCovered();
  if (transformerStorage.getExposedMetadatas(dto).length > 0 || transformerStorage.getExcludedMetadatas(dto).length > 0)
    throw new NotCovered();
  const properties: Property[] = [];
  const byName = new Map<string, Property>();
  const plan: Plan = { dto, properties, byName };
  planning.set(dto, plan);
  const grouped = storage.groupByPropertyName(metadatas);
  for (const [name, rules] of Object.entries(grouped)) {
    if (transformerStorage.findTransformMetadatas(dto, name, PLAIN_TO_CLASS).length > 0) throw new NotCovered();
    if (Object.getOwnPropertyDescriptor(dto.prototype, name)) throw new NotCovered();
    const conditions: ((object: object, value: unknown) => boolean)[] = [];
    const checks: Check[] = [];
    let nested = false;
    for (const rule of rules) {
      if (rule.groups?.length || rule.always) throw new NotCovered();
      switch (rule.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(rule.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.IS_DEFINED:
        case ValidationTypes.CUSTOM_VALIDATION: {
          const constraints = storage.getTargetValidatorConstraints(rule.constraintCls);
          if (constraints.some((c) => c.async)) throw new NotCovered();
          checks.push({ metadata: rule, validators: constraints.map((c) => c.instance) });
          break;
        }
        case ValidationTypes.NESTED_VALIDATION:
          nested = true;
          break;
        case ValidationTypes.WHITELIST:
          break;
        default:
          throw new NotCovered();
      }
    }
    const typed = transformerStorage.findTypeMetadata(dto, name);
    let type: Dto | null = null;
    if (typed) {
      if (typed.options?.discriminator || !typed.typeFunction) throw new NotCovered();
      const target = typed.typeFunction();
      if (typeof target !== 'function' || [String, Number, Boolean, Date, Object, Array, Map, Set, Buffer].includes(target as never))
        throw new NotCovered();
      type = target as Dto;
      buildPlan(type, planning);
    }
    if (nested && !type) throw new NotCovered();
    const property = { name, conditions, checks, nested, type };
    properties.push(property);
    byName.set(name, property);
  }
  return plan;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

const isPrimitive = (value: unknown): boolean => value === null || ['string', 'number', 'boolean'].includes(typeof value);

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The instance class-transformer's `plainToInstance` builds from a JSON value, for a planned class: `new Dto()`,
 * then every key of the value copied, nested bodies built as their `@Type` class, lists copied item by item.
 * Undefined when the value holds something the quick path does not build the same way (it then takes the full pipe).
 */
const build = (plan: Plan, plain: Record<string, unknown>, planned: (dto: Dto) => Plan): object | undefined => {
  const instance = new plan.dto() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    const property = plan.byName.get(key);
    // class-transformer would skip a key whose default is a function; a key without rules is refused by the whitelist.
    if (!property || RESERVED.has(key) || typeof instance[key] === 'function') return undefined;
    const value = plain[key];
    const type = property.type;
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const item of value) {
        if (type && isPlainObject(item)) {
          const built = build(planned(type), item, planned);
          if (!built) return undefined;
          items.push(built);
        } else if (isPrimitive(item)) items.push(item);
        else return undefined;
      }
      instance[key] = items;
    } else if (type && isPlainObject(value)) {
      const built = build(planned(type), value, planned);
      if (!built) return undefined;
      instance[key] = built;
    } else if (isPrimitive(value)) instance[key] = value;
    else return undefined;
  }
  return instance;
};

/** A validator's answer that class-validator takes as a pass: truthy, and not a promise (asynchronous rules take the full pipe). */
const holds = (answer: unknown): boolean =>
  Boolean(answer) && !(typeof answer === 'object' && typeof (answer as { then?: unknown }).then === 'function');

/** Whether class-validator, with `whitelist` and `forbidNonWhitelisted`, finds nothing to refuse in `object`. */
const passes = (plan: Plan, object: Record<string, unknown>, planned: (dto: Dto) => Plan): boolean => {
  for (const key of Object.keys(object)) if (!plan.byName.has(key)) return false;
  for (const property of plan.properties) {
    const value = object[property.name];
    if (!property.conditions.every((condition) => condition(object, value))) continue;
    for (const { metadata, validators } of property.checks) {
      if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
      const args: ValidationArguments = {
        targetName: plan.dto.name,
        property: property.name,
        object,
        value,
        constraints: metadata.constraints,
      };
      for (const validator of validators) {
        const valid =
          metadata.each && Array.isArray(value)
            ? value.every((item) => holds(validator.validate(item, args)))
            : holds(validator.validate(value, args));
        if (!valid) return false;
      }
    }
    if (property.nested && value !== undefined) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (item === null || typeof item !== 'object' || Array.isArray(item) || !property.type || !(item instanceof property.type))
          return false;
        if (!passes(planned(property.type), item as Record<string, unknown>, planned)) return false;
      }
    }
  }
  return true;
};

/**
 * The quick path of the validation pipe for a JSON body that is valid: the instance the full pipe
 * (class-transformer, then class-validator with `whitelist` and `forbidNonWhitelisted`) would return for it,
 * built and checked with the same rules and the same validator functions, without the full pipe's
 * per-request machinery (an error object per property, promises, metadata filtering per level). It answers
 * undefined whenever the body is not plainly valid or its class uses something it does not cover, and the
 * caller then runs the full pipe, which alone words refusals. `quick-validation.unit.spec.ts` checks that
 * every body it accepts is accepted by the full pipe as the same instance.
 */
export const quickValidated = (dto: Dto, value: unknown): object | undefined => {
  if (!isPlainObject(value)) return undefined;
  const plan = planOf(dto);
  if (!plan) return undefined;
  const planned = (nested: Dto): Plan => planOf(nested)!;
  const instance = build(plan, value, planned);
  if (!instance || !passes(plan, instance as Record<string, unknown>, planned)) return undefined;
  return instance;
};
