import { foldOwned } from './fold';

/**
 * The decider pattern (Jérémie Chassaing; as used by Emmett): a pure aggregate.
 * No I/O, no clock, no random ids — time, ids and the actor arrive with the command.
 */
export type DomainEvent<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

export type Command<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  /** Who asks, with what roles, and when (wall-clock time of the request, ISO-8601). */
  context: CommandContext;
}>;

/**
 * A command as its caller states it: type and data, without the context (actor, time) that the application
 * adds, and without the facts `F` (keys of its data) that the handler reads from other streams just before
 * deciding (ADR 0100). Distributes over a union of commands.
 */
export type CommandInput<C extends { type: string; data: unknown }, F extends PropertyKey = never> = {
  [K in C['type']]: { type: K; data: [F] extends [never] ? Extract<C, { type: K }>['data'] : Omit<Extract<C, { type: K }>['data'], F> };
}[C['type']];

export type CommandContext = Readonly<{
  actor: Actor;
  /** Wall-clock time of the request (ISO-8601), used for the audit trail, never a business date. */
  now: string;
  /** Today's business date (YYYY-MM-DD) in the company calendar. */
  today: string;
}>;

export const ROLES = ['salesperson', 'sales_manager', 'finance', 'admin_department', 'auditor', 'analyst', 'integration', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Actor = Readonly<{ userId: string; roles: readonly Role[] }>;

export const hasAnyRole = (actor: Actor, ...roles: Role[]): boolean =>
  actor.roles.includes('admin') || roles.some((role) => actor.roles.includes(role));

export type Decider<State, C extends Command, E extends DomainEvent> = Readonly<{
  decide: (command: C, state: State) => E[];
  evolve: (state: State, event: E) => State;
  initialState: () => State;
  /** Names the shape of the state for snapshots: bump it when a helper that evolve calls changes the state's shape or meaning. */
  foldVersion?: number;
}>;

/** Fold a stream's events into state (linear: see `foldOwned`). */
export const foldEvents = <State, E extends DomainEvent>(
  decider: Pick<Decider<State, never, E>, 'evolve' | 'initialState'>,
  events: readonly E[],
): State => foldOwned(decider.evolve, decider.initialState(), events);

/**
 * Events as a store or a command result hands them over carry a type name and untyped data; the type
 * names the data. `isEventOf<E>(types)` checks the name and gives the event its data from the union `E`:
 * `if (isEventOf<AccessEvent>(ACCESS_TYPES)(event)) switch (event.type) { … }`.
 */
export const isEventOf =
  <E extends DomainEvent>(types: readonly E['type'][]) =>
  <Ev extends Readonly<{ type: string; data: unknown }>>(event: Ev): event is Ev & E =>
    (types as readonly string[]).includes(event.type);

/** The first event of `type` in such a list, with its data typed: `eventOf<SalesPlanEvent>()(result.events, 'SalesPlanSubmitted')?.data`. */
export const eventOf =
  <E extends DomainEvent>() =>
  <T extends E['type'], Ev extends Readonly<{ type: string; data: unknown }>>(
    events: readonly Ev[],
    type: T,
    where: (event: Ev & Extract<E, { type: T }>) => boolean = () => true,
  ): (Ev & Extract<E, { type: T }>) | undefined =>
    events.find((event): event is Ev & Extract<E, { type: T }> => isEventOf<Extract<E, { type: T }>>([type])(event) && where(event));

/** Exhaustiveness guard for discriminated unions: the compiler proves the switch complete. */
export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};

/**
 * Every event type of the union `E`, as a tuple the compiler checks complete: a type of `E` missing
 * from the list fails to compile (naming it), so a new event cannot be left out of a read model that
 * folds the whole union.
 *
 *   export const CUSTOMER_EVENT_TYPES = everyEventType<CustomerEvent>()(['CustomerRegistered', …]);
 */
export const everyEventType =
  <E extends DomainEvent>() =>
  <const Types extends readonly E['type'][]>(
    types: Types & ([Exclude<E['type'], Types[number]>] extends [never] ? unknown : { missing: Exclude<E['type'], Types[number]> }),
  ): Types =>
    types;
