import fc from 'fast-check';
import { appended, foldOwned, withEntry, withoutEntry } from './fold';
import { BucketedRecord, bucketedEntries, bucketedEntry, withBucketedEntry, withoutBucketedEntry } from './fold';

type State = { count: number; byId: Record<string, number>; log: string[] };
type Event = { type: 'set'; id: string; value: number } | { type: 'unset'; id: string } | { type: 'log'; line: string };

const evolve = (state: State, event: Event): State => {
  switch (event.type) {
    case 'set':
      return { ...state, count: state.count + 1, byId: withEntry(state.byId, event.id, event.value) };
    case 'unset':
      return { ...state, count: state.count + 1, byId: withoutEntry(state.byId, event.id) };
    case 'log':
      return { ...state, count: state.count + 1, log: appended(state.log, event.line) };
  }
};
const initial = (): State => ({ count: 0, byId: {}, log: [] });
const events = fc.array(
  fc.oneof(
    fc.record({ type: fc.constant('set' as const), id: fc.constantFrom('a', 'b', 'c', 'd'), value: fc.integer() }),
    fc.record({ type: fc.constant('unset' as const), id: fc.constantFrom('a', 'b', 'c', 'd') }),
    fc.record({ type: fc.constant('log' as const), line: fc.string() }),
  ),
  { maxLength: 40 },
);

describe('Folds with fold-owned collections', () => {
  it('give the same state as evolving one event at a time outside a fold, and leave every earlier state as it was', () =>
    fc.assert(
      fc.property(events, events, (before, after) => {
        const start = before.reduce(evolve, initial());
        const frozen = structuredClone(start);
        const stepByStep = after.reduce(evolve, start);
        const folded = foldOwned(evolve, start, after);
        expect(folded).toEqual(stepByStep);
        expect(start).toEqual(frozen);
      }),
    ));

  it('copy a collection once per fold, not once per event', () => {
    const seen = new Set<object>();
    foldOwned(
      (state: State, event: Event) => {
        const next = evolve(state, event);
        seen.add(next.byId);
        return next;
      },
      initial(),
      Array.from({ length: 1000 }, (_, i): Event => ({ type: 'set', id: `k${i}`, value: i })),
    );
    expect(seen.size).toBe(1);
  });

  it('copy on every change outside a fold, so evolve stays pure for its callers', () => {
    const one = evolve(initial(), { type: 'set', id: 'a', value: 1 });
    const two = evolve(one, { type: 'set', id: 'b', value: 2 });
    const branch = evolve(one, { type: 'log', line: 'x' });
    expect(one.byId).toEqual({ a: 1 });
    expect(two.byId).toEqual({ a: 1, b: 2 });
    expect(branch.byId).toBe(one.byId);
    expect(two.byId).not.toBe(one.byId);
  });

  it('never change a collection that came from the state a fold started from', () => {
    const start = evolve(initial(), { type: 'set', id: 'a', value: 1 });
    const folded = foldOwned(evolve, start, [
      { type: 'set', id: 'b', value: 2 },
      { type: 'unset', id: 'a' },
    ]);
    expect(start.byId).toEqual({ a: 1 });
    expect(folded.byId).toEqual({ b: 2 });
  });
});

describe('Bucketed records', () => {
  type Change = { key: string; value: number | null };
  const changes = fc.array(fc.record({ key: fc.string({ maxLength: 4 }), value: fc.option(fc.integer(), { nil: null }) }), {
    maxLength: 80,
  });
  const apply = (record: BucketedRecord<number>, { key, value }: Change) =>
    value === null ? withoutBucketedEntry(record, key) : withBucketedEntry(record, key, value);
  const model = (list: Change[]) =>
    list.reduce<Map<string, number>>((m, { key, value }) => (value === null ? m.delete(key) : m.set(key, value), m), new Map());

  it('hold what a plain map holds, in or out of a fold, and leave every earlier record as it was', () =>
    fc.assert(
      fc.property(changes, changes, (before, after) => {
        const start = before.reduce(apply, {});
        const frozen = structuredClone(start);
        const stepByStep = after.reduce(apply, start);
        expect(foldOwned(apply, start, after)).toEqual(stepByStep);
        expect(start).toEqual(frozen);
        const expected = model([...before, ...after]);
        expect(new Map(bucketedEntries(stepByStep))).toEqual(expected);
        for (const [key, value] of expected) expect(bucketedEntry(stepByStep, key)).toBe(value);
      }),
    ));

  it('take the same shape for the same contents, whatever history built them', () =>
    fc.assert(
      fc.property(changes, (history) => {
        const built = history.reduce(apply, {});
        const direct = [...model(history)].reduce<BucketedRecord<number>>((r, [key, value]) => withBucketedEntry(r, key, value), {});
        expect(built).toEqual(direct);
        expect(history.reduce(apply, {})).toEqual(withoutBucketedEntry(built, '\u0000absent'));
      }),
    ));

  it('copy a few small records per change outside a fold, not the whole collection', () => {
    const many = foldOwned(
      apply,
      {},
      Array.from({ length: 20_000 }, (_, i) => ({ key: `o${i}`, value: i })),
    );
    const after = withBucketedEntry(many, 'new', 1);
    const unchanged = Object.keys(many).filter((level) => after[level] === many[level]);
    expect(unchanged.length).toBe(Object.keys(many).length - 1);
    expect(bucketedEntry(many, 'new')).toBeUndefined();
    expect(bucketedEntries(withoutBucketedEntry(after, 'o7')).length).toBe(20_000);
  });
});
