import { Command, Decider, DomainEvent } from '../decider';
import { conflict, ruleViolation } from '../errors';
import { actor, command, commandOf, deciderSpec } from './decider-spec';

// A counter that may be raised up to a limit: small enough to show every outcome of the dialect.
type Raise = Command<'Raise', { by: number }>;
type Raised = DomainEvent<'Raised', { by: number }>;
type Broken = DomainEvent<'Broken', { by: number }>;
const counter: Decider<number, Raise, Raised> = {
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: ({ data: { by } }, total) => {
    if (by < 0) throw ruleViolation('NegativeRaise', 'raises are positive', { by });
    if (total + by > 10) throw conflict('LimitReached', 'at most 10', { total, by, limit: 10 });
    return by === 0 ? [] : [{ type: 'Raised', data: { by } }];
  },
};
const raised = (by: number): Raised => ({ type: 'Raised', data: { by } });
const raise = (by: number) => commandOf<Raise>('Raise', { by });
const spec = deciderSpec(counter);

describe('deciderSpec, the one spec dialect', () => {
  it('then(events) compares the produced events and returns the state after them', () => {
    expect(
      spec
        .given(raised(2), raised(3))
        .when(raise(4))
        .then([raised(4)]),
    ).toBe(9);
    expect(() =>
      spec
        .given()
        .when(raise(4))
        .then([raised(5)]),
    ).toThrow();
  });

  it('given takes the history as arguments or as one array', () => {
    expect(spec.given([raised(2), raised(3)]).state()).toBe(5);
    expect(spec.given(raised(2), [raised(3)]).state()).toBe(5);
  });

  it('then(assert) hands the produced events and the folded state to an assertion', () => {
    let seen: unknown = null;
    spec
      .given(raised(1))
      .when(raise(2))
      .then((events, state) => {
        seen = { events, state };
      });
    expect(seen).toEqual({ events: [raised(2)], state: 3 });
  });

  it('thenThrows names the error code, and optionally its kind and details', () => {
    const error = spec.given(raised(9)).when(raise(2)).thenThrows('LimitReached', 'conflict', { limit: 10 });
    expect(error.details).toEqual({ total: 9, by: 2, limit: 10 });
    expect(() => spec.given(raised(9)).when(raise(2)).thenThrows('OtherCode')).toThrow(/expected DomainError OtherCode/);
    expect(() => spec.given(raised(9)).when(raise(2)).thenThrows('LimitReached', 'rule')).toThrow(/of kind rule/);
    expect(() => spec.given(raised(9)).when(raise(2)).thenThrows('LimitReached', 'conflict', { limit: 11 })).toThrow();
    expect(() => spec.given().when(raise(2)).thenThrows('LimitReached')).toThrow(/but decide produced/);
    expect(spec.given().when(raise(-1)).thenThrows('NegativeRaise').kind).toBe('rule');
  });

  it('thenNothingHappened expects an accepted command without events', () => {
    expect(spec.given(raised(4)).when(raise(0)).thenNothingHappened()).toBe(4);
    expect(() => spec.given().when(raise(1)).thenNothingHappened()).toThrow(/expected no events/);
  });

  it('checks that the produced events fold: an evolve that rejects them fails the spec', () => {
    const brokenEvolve: Decider<number, Raise, Raised | Broken> = {
      ...counter,
      decide: (c) => [{ type: 'Broken', data: { by: c.data.by } }],
      evolve: (total, event) => {
        if (event.type === 'Broken') throw new Error('evolve does not know Broken');
        return total + event.data.by;
      },
    };
    expect(() =>
      deciderSpec(brokenEvolve)
        .given()
        .when(raise(1))
        .then([{ type: 'Broken', data: { by: 1 } }]),
    ).toThrow(/does not know Broken/);
  });

  it('builds commands with a named actor and business date', () => {
    const c = command<Raise>('Raise', { by: 1 }, { actor: actor('sam', 'salesperson'), today: '2025-03-01' });
    expect(c.context).toEqual({ actor: { userId: 'sam', roles: ['salesperson'] }, today: '2025-03-01', now: '2025-03-01T09:00:00.000Z' });
    expect(raise(1).context).toEqual({
      actor: { userId: 'u-test', roles: ['admin'] },
      today: '2025-01-15',
      now: '2025-01-15T10:00:00.000Z',
    });
  });
});
