import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Storage = {
  getTargetValidationMetadatas(
    target: unknown,
    schema: string,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): ValidationMetadata[];
  groupByPropertyName(metadatas: ValidationMetadata[]): Record<string, ValidationMetadata[]>;
  addValidationMetadata(metadata: ValidationMetadata): void;
  addConstraintMetadata(metadata: unknown): void;
  addValidationSchema(schema: unknown): void;
};

let installed = false;
/** Moves whenever a rule is added (see below): answers kept per class are stale once it moved. */
let generation = 0;
export const validationMetadataGeneration = (): number => generation;

/**
 * class-validator looks a DTO's rules up on every validation: it filters the class's own rules and
 * walks every decorated class of the application for its ancestors (an `instanceof` test per class),
 * then groups the result by property. The rules only change while classes are being decorated, so
 * the answers are kept per class and options, and forgotten whenever a rule is added.
 * The arrays kept are never changed by the validator (it filters them into new ones).
 */
export const memoizeValidationMetadata = (): void => {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage() as unknown as Storage;
  const targets = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  const forget = () => {
    generation += 1;
    targets.clear();
    grouped = new WeakMap();
  };
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups ? groups.join('\u0001') : '-'}`;
    let byOptions = targets.get(target);
    if (!byOptions) targets.set(target, (byOptions = new Map()));
    let metadatas = byOptions.get(key);
    if (!metadatas) byOptions.set(key, (metadatas = lookUp(target, schema, always, strictGroups, groups)));
    return metadatas;
  };
  storage.groupByPropertyName = (metadatas) => {
    let result = grouped.get(metadatas);
    if (!result) grouped.set(metadatas, (result = group(metadatas)));
    return result;
  };
  for (const name of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const add = (storage[name] as (arg: unknown) => void).bind(storage);
    (storage as unknown as Record<string, (arg: unknown) => void>)[name] = (arg: unknown) => {
      forget();
      add(arg);
    };
  }
};
