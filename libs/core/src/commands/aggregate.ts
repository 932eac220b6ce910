import { Command, CommandContext, CommandInput, Decider, DomainEvent } from '@salesline/shared-kernel';
import { EventStore } from '../event-store/event-store.port';
import { executeCommand, ExecuteResult } from './execute-command';
import { LoadedStream } from './load-state';
import { RequestContext } from './request-context';

/**
 * An aggregate, declared once beside its decider's application: the stream an id names, the pure
 * decider, and the 404 for a command on a stream that does not exist yet. The shape of Emmett's
 * `CommandHandler({ evolve, initialState })`, with the stream and the not-found rule added.
 */
export type Aggregate<State, C extends Command, E extends DomainEvent, Id = string> = Readonly<{
  streamName: (id: Id) => string;
  decider: Decider<State, C, E>;
  /**
   * A command other than those in `unless` (the ones that start the stream) on a stream that does not
   * exist is refused with 404 `code`. Omitted when any command may start the stream (a log, a plan).
   */
  notFound?: Readonly<{ code: string; unless: readonly C['type'][] }>;
  /** The schema version its events are written in (recorded in their metadata; upcasters read older ones). */
  schemaVersion?: number;
}>;

export const defineAggregate = <State, C extends Command, E extends DomainEvent, Id = string>(
  aggregate: Aggregate<State, C, E, Id>,
): Aggregate<State, C, E, Id> => aggregate;

/** The command's context (who, when) as a request gives it. */
export const commandContextOf = (request: RequestContext): CommandContext => ({
  actor: request.actor,
  now: request.now,
  today: request.today,
});

/**
 * Turns what the caller says (`input`) into the decider's command data: the facts it reads from other
 * streams (a credit limit, a team on a date, settings), just before deciding, on every attempt (ADR 0100).
 * `state` is the aggregate's state that this attempt decides on.
 */
export type FactsLoader<State, C extends Command, Input, Id = string> = (
  input: Input,
  state: State,
  at: Readonly<{ id: Id; request: RequestContext }>,
) => Promise<CommandInput<C>> | CommandInput<C>;

export type RunOptions<State> = Readonly<{
  /** The stream as the caller has just read it (loadStream): the first attempt decides on it. */
  loaded?: Pick<LoadedStream<State>, 'state' | 'revision' | 'position'>;
  schemaVersion?: number;
}>;

/**
 * One entry of a context's route table: an aggregate and how a caller's input becomes its command.
 * `run` is the one command path (executeCommand): load, facts, decide, append, retry on a race.
 */
export type Route<Input, State, Id = string> = Readonly<{
  run(store: EventStore, id: Id, input: Input, request: RequestContext, options?: RunOptions<State>): Promise<ExecuteResult<State>>;
}>;

/** A route whose input is the command without its context (no facts to load). */
export function route<State, C extends Command, E extends DomainEvent, Id>(
  aggregate: Aggregate<State, C, E, Id>,
): Route<CommandInput<C>, State, Id>;
/** A route whose input becomes the command through `facts`. */
export function route<State, C extends Command, E extends DomainEvent, Id, Input extends { type: string; data: unknown }>(
  aggregate: Aggregate<State, C, E, Id>,
  facts: FactsLoader<State, C, Input, Id>,
): Route<Input, State, Id>;
export function route<State, C extends Command, E extends DomainEvent, Id, Input extends { type: string; data: unknown }>(
  aggregate: Aggregate<State, C, E, Id>,
  facts?: FactsLoader<State, C, Input, Id>,
): Route<Input, State, Id> {
  return {
    run: (store, id, input, request, options = {}) => {
      const context = commandContextOf(request);
      const starts = aggregate.notFound === undefined || aggregate.notFound.unless.includes(input.type);
      return executeCommand(store, {
        streamName: aggregate.streamName(id),
        decider: aggregate.decider,
        request,
        notFoundCode: starts ? undefined : aggregate.notFound?.code,
        loaded: options.loaded,
        schemaVersion: options.schemaVersion ?? aggregate.schemaVersion,
        prepare: async (state) => {
          const command: { type: string; data: unknown } = facts ? await facts(input, state, { id, request }) : input;
          return { type: command.type, data: command.data, context } as C;
        },
      });
    },
  };
}

/**
 * A route whose answer also covers what its process managers do in reaction, run inline so that a
 * client reading with the answer's position sees them (read-your-writes): `react` gets the command's
 * result and returns the global position of the last event it wrote (0 when none). The subscription
 * runs the same process managers again later; they look before they write, so nothing happens twice.
 */
export const withReactions = <Input, State, Id>(
  inner: Route<Input, State, Id>,
  react: (result: ExecuteResult<State>, request: RequestContext) => Promise<number>,
): Route<Input, State, Id> => ({
  run: async (store, id, input, request, options) => {
    const result = await inner.run(store, id, input, request, options);
    const reacted = await react(result, request);
    return reacted > result.position ? { ...result, position: reacted } : result;
  },
});

/** A context's route table: one route per aggregate kind (`region`, `team`, …). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of routes of any input: each entry keeps its own types
export type RouteTable = Readonly<Record<string, Route<any, any, any>>>;

/** The message that names one route of a table: its kind, the aggregate's id and the caller's input, typed per kind. */
export type RouteTarget<R extends RouteTable> = {
  [K in keyof R & string]: R[K] extends Route<infer Input, infer _State, infer Id> ? Readonly<{ kind: K; id: Id; command: Input }> : never;
}[keyof R & string];

/** The state of the aggregates a table routes to (one aggregate: its state). */
export type RouteState<R extends RouteTable> = {
  [K in keyof R & string]: R[K] extends Route<infer _Input, infer State, infer _Id> ? State : never;
}[keyof R & string];

/** Sends a target to its route: the one dispatch for every context's command message. */
export const dispatch = <R extends RouteTable>(
  store: EventStore,
  routes: R,
  target: RouteTarget<R>,
  request: RequestContext,
  options?: RunOptions<RouteState<R>>,
): Promise<ExecuteResult<RouteState<R>>> => routes[target.kind].run(store, target.id, target.command, request, options);

/**
 * Reserve-then-record, for a command that must claim something on another stream first (a SKU, a bill
 * of lading number, the customer's credit): the command is decided dry on the state it will be decided
 * on, so a refused command claims nothing; `reserve` then gets the events the decision gives (the
 * amount to reserve, say) and makes the claim, and the caller runs the command itself afterwards.
 */
export const decideThenReserve = async <State, C extends Command, E extends DomainEvent, R>(
  decider: Decider<State, C, E>,
  command: C,
  state: State,
  reserve: (decided: readonly E[]) => Promise<R>,
): Promise<R> => reserve(decider.decide(command, state));
