/**
 * Spec helpers for the organization and targets deciders: a thin adapter over the shared
 * given/when/then (`@salesline/shared-kernel/testing`), which also checks that every produced event folds.
 * Adds what these specs need: events given as one array, error `details` matching, and a command builder
 * that takes the actor and business date.
 */
import { Actor, Command, Decider, DomainErrorKind, DomainEvent, Role } from '@salesline/shared-kernel';
import { deciderSpec as sharedDeciderSpec } from '@salesline/shared-kernel/testing';

export const actor = (userId: string, ...roles: Role[]): Actor => ({ userId, roles });

export const command = <C extends Command>(
  type: C['type'],
  data: C['data'],
  options: { actor: Actor; today: string; now?: string },
): C => ({ type, data, context: { actor: options.actor, today: options.today, now: options.now ?? `${options.today}T09:00:00.000Z` } }) as C;

export const deciderSpec = <S, C extends Command, E extends DomainEvent>(decider: Decider<S, C, E>) => {
  const shared = sharedDeciderSpec(decider);
  return {
    given: (events: readonly E[]) => ({
      when: (cmd: C) => {
        const step = shared.given(...events).when(cmd);
        return {
          then: (expected: readonly E[]): void => {
            step.then(expected);
          },
          /** Expects a DomainError with this code (and kind, and details matching `details` when given). */
          thenError: (code: string, kind?: DomainErrorKind, details?: Record<string, unknown>): void => {
            const error = step.thenThrows(code, kind);
            if (details) expect(error.details).toMatchObject(details);
          },
        };
      },
    }),
    stateAfter: (events: readonly E[]): S => shared.given(...events).state(),
  };
};
