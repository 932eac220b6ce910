/**
 * @deprecated Use `deciderSpec` from `@salesline/shared-kernel/testing`, the one spec dialect.
 * This adapter only keeps the older organization and targets specs running unchanged: its `then` and
 * `thenError` return nothing, so a spec written as an arrow expression still returns undefined to jest.
 */
import { Command, Decider, DomainErrorKind, DomainEvent } from '@salesline/shared-kernel';
import { deciderSpec as sharedDeciderSpec } from '@salesline/shared-kernel/testing';

export { actor, command } from '@salesline/shared-kernel/testing';

export const deciderSpec = <S, C extends Command, E extends DomainEvent>(decider: Decider<S, C, E>) => {
  const shared = sharedDeciderSpec(decider);
  return {
    given: (events: readonly E[]) => ({
      when: (cmd: C) => {
        const step = shared.given(events).when(cmd);
        return {
          then: (expected: readonly E[]): void => void step.then(expected),
          thenError: (code: string, kind?: DomainErrorKind, details?: Record<string, unknown>): void =>
            void step.thenThrows(code, kind, details),
        };
      },
    }),
    stateAfter: shared.stateAfter,
  };
};
