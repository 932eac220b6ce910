import { deepStrictEqual, fail } from 'node:assert/strict';
import { Command, Decider, DomainEvent } from '../decider';
import { foldOwned } from '../fold';
import { DomainError, DomainErrorKind } from '../errors';

/**
 * A framework-free Given/When/Then for deciders:
 *
 *   deciderSpec(orderDecider).given(placed, confirmed).when(deliver).then([goodsDelivered]);
 *   deciderSpec(orderDecider).given(placed).when(deliver).thenThrows('OrderOnCreditHold');
 *
 * `then` also checks that every produced event folds (evolve must accept what decide emits)
 * and returns the resulting state so a spec can assert on derived queries.
 */
export type DeciderSpec<State, C extends Command, E extends DomainEvent> = Readonly<{
  given: (...events: E[]) => Readonly<{
    when: (command: C) => Readonly<{
      then: (expected: readonly E[]) => State;
      thenThrows: (code: string, kind?: DomainErrorKind) => DomainError;
      /** The produced events, for specs that check only part of them. */
      events: () => E[];
    }>;
    /** The state after the given events. */
    state: () => State;
  }>;
}>;

export const deciderSpec = <State, C extends Command, E extends DomainEvent>(
  decider: Decider<State, C, E>,
): DeciderSpec<State, C, E> => ({
  given: (...history: E[]) => {
    const fold = (events: readonly E[], from: State) => foldOwned(decider.evolve, from, events);
    const state = () => fold(history, decider.initialState());
    return {
      state,
      when: (command: C) => ({
        events: () => decider.decide(command, state()),
        then: (expected: readonly E[]) => {
          const before = state();
          const actual = decider.decide(command, before);
          deepStrictEqual(actual, expected);
          return fold(actual, before);
        },
        thenThrows: (code: string, kind?: DomainErrorKind) => {
          const before = state();
          let produced: E[];
          try {
            produced = decider.decide(command, before);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            if (error.code !== code) fail(`expected DomainError ${code}, got ${error.code}: ${error.message}`);
            if (kind !== undefined && error.kind !== kind) fail(`expected ${code} of kind ${kind}, got ${error.kind}`);
            return error;
          }
          return fail(`expected DomainError ${code}, but decide produced ${JSON.stringify(produced)}`);
        },
      }),
    };
  },
});

/** A command builder for specs: fills the context. */
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
