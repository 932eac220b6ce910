import { deepStrictEqual, fail } from 'node:assert/strict';
import { expect } from '@jest/globals';
import { Actor, Command, Decider, DomainEvent, Role } from '../decider';
import { foldOwned } from '../fold';
import { DomainError, DomainErrorKind } from '../errors';

/**
 * The one Given/When/Then for deciders (the shape of Emmett's `DeciderSpecification`):
 *
 *   const spec = deciderSpec(orderDecider);
 *   spec.given(placed, confirmed).when(deliver).then([goodsDelivered]);
 *   spec.given(placed).when(deliver).thenThrows('OrderOnCreditHold', 'rule');
 *   spec.given(placed, delivered).when(deliverAgain).thenNothingHappened();
 *   spec.given(placed).when(deliver).then((events, state) => expect(state.delivered).toBe(3));
 *
 * Every outcome that produces events also checks that they fold (evolve must accept what decide
 * emits) and returns the state after them, so a spec can assert on derived queries. `given` takes
 * the history as arguments or as one array.
 */
export type DeciderSpecWhen<State, E extends DomainEvent> = Readonly<{
  /** The produced events equal `expected` (deep, strict); or `assert` checks them and the state after them. */
  then: (expected: readonly E[] | ((events: E[], state: State) => void)) => State;
  /** Decide refuses with a DomainError of this code (and kind, and details containing `details`, when given). */
  thenThrows: (code: string, kind?: DomainErrorKind, details?: Record<string, unknown>) => DomainError;
  /** Decide accepts the command and produces no event (an idempotent repeat, a no-op). */
  thenNothingHappened: () => State;
  /** The produced events, for specs that check only part of them. */
  events: () => E[];
}>;

export type DeciderSpecGiven<State, C extends Command, E extends DomainEvent> = Readonly<{
  when: (command: C) => DeciderSpecWhen<State, E>;
  /** The state after the given events. */
  state: () => State;
}>;

export type DeciderSpec<State, C extends Command, E extends DomainEvent> = Readonly<{
  given: (...history: ReadonlyArray<E | readonly E[]>) => DeciderSpecGiven<State, C, E>;
}>;

export const deciderSpec = <State, C extends Command, E extends DomainEvent>(decider: Decider<State, C, E>): DeciderSpec<State, C, E> => {
  const fold = (events: readonly E[], from: State): State => foldOwned(decider.evolve, from, events);
  const given = (...nested: ReadonlyArray<E | readonly E[]>): DeciderSpecGiven<State, C, E> => {
    const history = nested.flat() as E[];
    const state = () => fold(history, decider.initialState());
    const when = (command: C): DeciderSpecWhen<State, E> => {
      const thenThrows = (code: string, kind?: DomainErrorKind, details?: Record<string, unknown>): DomainError => {
        let produced: E[];
        try {
          produced = decider.decide(command, state());
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          if (error.code !== code) fail(`expected DomainError ${code}, got ${error.code}: ${error.message}`);
          if (kind !== undefined && error.kind !== kind) fail(`expected ${code} of kind ${kind}, got ${error.kind}`);
          if (details !== undefined) expect(error.details).toMatchObject(details);
          return error;
        }
        return fail(`expected DomainError ${code}, but decide produced ${JSON.stringify(produced)}`);
      };
      return {
        events: () => decider.decide(command, state()),
        then: (expected) => {
          const before = state();
          const actual = decider.decide(command, before);
          if (typeof expected === 'function') {
            const after = fold(actual, before);
            expected(actual, after);
            return after;
          }
          deepStrictEqual(actual, expected);
          return fold(actual, before);
        },
        thenNothingHappened: () => {
          const before = state();
          const actual = decider.decide(command, before);
          deepStrictEqual(actual, [], `expected no events, but decide produced ${JSON.stringify(actual)}`);
          return before;
        },
        thenThrows,
      };
    };
    return { state, when };
  };
  return { given };
};

/** An actor for specs. */
export const actor = (userId: string, ...roles: Role[]): Actor => ({ userId, roles });

/** A command builder for specs: fills the context (default actor `u-test` as admin, business date 2025-01-15). */
export const commandOf = <C extends Command>(
  type: C['type'],
  data: C['data'],
  context: Partial<C['context']> & { roles?: C['context']['actor']['roles']; userId?: string } = {},
): C =>
  ({
    type,
    data,
    context: {
      actor: context.actor ?? { userId: context.userId ?? 'u-test', roles: context.roles ?? ['admin'] },
      now: context.now ?? `${context.today ?? '2025-01-15'}T10:00:00.000Z`,
      today: context.today ?? '2025-01-15',
    },
  }) as unknown as C;

/** A command builder for specs that name the actor and the business date (`now` defaults to 09:00 that day). */
export const command = <C extends Command>(type: C['type'], data: C['data'], options: { actor: Actor; today: string; now?: string }): C =>
  commandOf<C>(type, data, { actor: options.actor, today: options.today, now: options.now ?? `${options.today}T09:00:00.000Z` } as Partial<
    C['context']
  >);

/** A refusal case: its test's title, the history (as `given` takes it), the command, and what `thenThrows` expects. */
export type RefusalCase<C extends Command, E extends DomainEvent> = readonly [
  title: string,
  given: ReadonlyArray<E | readonly E[]>,
  command: C,
  code: string,
  kind?: DomainErrorKind,
  details?: Record<string, unknown>,
];

/** A table of refusals: one test per case, under its own title, each asserting its refusal. */
export const itRefuses = <State, C extends Command, E extends DomainEvent>(
  spec: DeciderSpec<State, C, E>,
  cases: readonly RefusalCase<C, E>[],
): void => {
  for (const [title, given, command, ...refusal] of cases)
    it(title, () => {
      spec
        .given(...given)
        .when(command)
        .thenThrows(...refusal);
    });
};
