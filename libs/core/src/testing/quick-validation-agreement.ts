import { HttpException } from '@nestjs/common';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { salesValidationPipe } from '../http/errors';
import { quickValidated } from '../http/quick-validation';

type Dto = new () => object;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values a field of a body may be given in a mutation: the usual valid ones and every kind of wrong one. */
const FIELD_VALUES: readonly Json[] = [
  null,
  true,
  false,
  0,
  1,
  -1,
  1.5,
  10_000,
  10_001,
  1_000_000_001,
  Number.MAX_SAFE_INTEGER,
  '',
  ' ',
  'a',
  'L1',
  'p-widget',
  'not an id!',
  'x'.repeat(65),
  'x'.repeat(501),
  '2026-11-27',
  '2026-02-30',
  '2026-11-27T10:00:00Z',
  'gift',
  [],
  [1],
  ['a'],
  [null],
  [[]],
  {},
  { lineId: 'L1' },
];

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A mutation of an example: a field removed, replaced, added, or the same inside a nested body or list item. */
const mutated = (example: Json, keys: readonly string[]): fc.Arbitrary<Json> => {
  const at = (value: Json, depth: number): fc.Arbitrary<Json> => {
    if (value === null || typeof value !== 'object' || depth > 3) return fc.constantFrom(...FIELD_VALUES);
    if (Array.isArray(value)) {
      if (value.length === 0) return fc.constantFrom<Json>([], [{}], ...FIELD_VALUES);
      const list: Json[] = value;
      return fc.oneof(
        fc
          .integer({ min: 0, max: list.length - 1 })
          .chain((i) => at(list[i], depth + 1).map((item): Json => list.map((v, j) => (j === i ? item : v)))),
        fc.constant<Json>([...list, ...list]),
        fc.constant<Json>([]),
      );
    }
    const own = Object.keys(value);
    const names = [...new Set([...own, ...keys, 'unknownField'])];
    return fc.oneof(
      fc.constantFrom(...names).map((key) => {
        const copy = { ...value };
        delete copy[key];
        return copy;
      }),
      fc.tuple(fc.constantFrom(...names), fc.constantFrom(...FIELD_VALUES)).map(([key, v]) => ({ ...value, [key]: v })),
      ...(own.length > 0 ? [fc.constantFrom(...own).chain((key) => at(value[key], depth + 1).map((v) => ({ ...value, [key]: v })))] : []),
    );
  };
  return fc.integer({ min: 1, max: 3 }).chain((times) => {
    let arbitrary: fc.Arbitrary<Json> = fc.constant(example);
    for (let i = 0; i < times; i++) arbitrary = arbitrary.chain((value) => at(value, 0));
    return arbitrary;
  });
};

const pipes = { quick: salesValidationPipe(), full: salesValidationPipe({ quick: false }) };

/** A pipe's answer: the instance, or its refusal's answer body. */
const answer = async (pipe: keyof typeof pipes, dto: Dto, value: Json): Promise<{ instance: object } | { refused: unknown }> => {
  try {
    return { instance: (await pipes[pipe].transform(clone(value), { type: 'body', metatype: dto })) as object };
  } catch (refused) {
    return { refused: refused instanceof HttpException ? refused.getResponse() : String(refused) };
  }
};

const sameAnswer = (a: Awaited<ReturnType<typeof answer>>, b: Awaited<ReturnType<typeof answer>>): boolean =>
  'instance' in a ? 'instance' in b && sameInstance(a.instance, b.instance) : 'refused' in b && isDeepStrictEqual(a.refused, b.refused);

/** Equal as instances: the same classes at every level, the same own fields and values. */
export const sameInstance = (a: unknown, b: unknown): boolean => {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length || keysA.some((k, i) => k !== keysB[i])) return false;
  return keysA.every((k) => sameInstance((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
};

/**
 * The validation pipe with its quick path against the full pipe alone, for one body class: each example
 * (a valid body) is taken by the quick path, and both pipes answer it with the same instance; over `runs`
 * random mutations of the examples (fields removed, replaced by values of every kind, unknown fields, nested
 * bodies and list items changed), both pipes give the same answer: the same instance, or the same refusal.
 * Answers how many mutations the quick path took and the full pipe accepted, so that a spec can check the
 * mutations reached valid bodies at all.
 */
export const checkQuickValidationAgainstFullPipe = async (
  dto: Dto,
  bodies: readonly unknown[],
  { runs = 400, seed }: { runs?: number; seed?: number } = {},
): Promise<{ quick: number; full: number }> => {
  const examples = bodies.map((body) => clone(body) as Json);
  for (const example of examples) {
    if (!quickValidated(dto, clone(example))) throw new Error(`the quick path does not take the example ${JSON.stringify(example)}`);
    const full = await answer('full', dto, example);
    if (!('instance' in full)) throw new Error(`the full pipe refuses the example ${JSON.stringify(example)}`);
    if (!sameAnswer(await answer('quick', dto, example), full)) throw new Error(`the pipes answer ${JSON.stringify(example)} differently`);
  }
  const keys = [...new Set(examples.flatMap((e) => (e && typeof e === 'object' && !Array.isArray(e) ? Object.keys(e) : [])))];
  const counts = { quick: 0, full: 0 };
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...examples).chain((example) => mutated(example, keys)),
      async (value) => {
        if (quickValidated(dto, clone(value))) counts.quick += 1;
        const full = await answer('full', dto, value);
        if ('instance' in full) counts.full += 1;
        return sameAnswer(await answer('quick', dto, value), full);
      },
    ),
    { numRuns: runs, seed },
  );
  return counts;
};
