import { Command, Decider, DomainEvent, foldOwned, notFound, ruleViolation, conflict } from '@salesline/shared-kernel';
import { EventStore, NewEvent, WrongExpectedRevisionError } from '../event-store/event-store.port';
import { RequestContext } from './request-context';
import { LoadedStream, loadStream, rememberState } from './load-state';

/** Appends that arrive together commit as one group, so racers on one hot stream (an account) lose one per group: enough attempts for a burst. */
export const DEFAULT_MAX_ATTEMPTS = 10;

export type ExecuteOptions<State, C extends Command, E extends DomainEvent> = Readonly<{
  streamName: string;
  decider: Decider<State, C, E>;
  request: RequestContext;
  /** 404 with this code when the stream does not exist yet (commands on existing entities). */
  notFoundCode?: string;
  schemaVersion?: number;
  maxAttempts?: number;
  /** The stream as the caller has just read it (loadStream): the first attempt decides on it. */
  loaded?: Pick<LoadedStream<State>, 'state' | 'revision' | 'position'>;
}> &
  (
    | Readonly<{ command: C; prepare?: never }>
    /** Build the command only once the state is known (cross-stream facts read just before deciding, on every attempt). */
    | Readonly<{ prepare: (state: State) => Promise<C> | C; command?: never }>
  );

export type ExecuteResult<State> = Readonly<{
  streamName: string;
  /** The events this request appended (or, on an idempotent replay, the ones the first request appended). */
  events: readonly DomainEvent[];
  /** Global position of the last event of this request (or the stream's last, when nothing was appended). */
  position: number;
  revision: number;
  state: State;
  replayed: boolean;
}>;

/** The metadata of an event a request appends: who, in which conversation, when, and the schema version of its data. */
export const metadataOf = (request: RequestContext, schemaVersion = 1) => ({
  actor: request.actor.userId,
  correlationId: request.correlationId,
  causationId: request.causationId,
  occurredAt: request.now,
  schemaVersion,
});

const toNewEvents = (events: readonly DomainEvent[], request: RequestContext, schemaVersion: number): NewEvent[] =>
  events.map((event) => ({
    type: event.type,
    data: event.data,
    metadata: {
      ...metadataOf(request, schemaVersion),
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey, requestHash: request.requestHash } : {}),
    },
  }));

/**
 * The one command path: load the stream (its latest snapshot and the events after it), call the
 * pure `decide`, append with the expected revision. On a concurrent append it re-reads and
 * re-decides, a bounded number of times, then fails with ConcurrencyConflict (409). A retried
 * request (same Idempotency-Key) finds its own events in the stream and returns them instead of
 * deciding again. `loaded` lets a caller that has just read the stream skip the first read.
 */
export const executeCommand = async <State, C extends Command, E extends DomainEvent>(
  eventStore: EventStore,
  options: ExecuteOptions<State, C, E>,
): Promise<ExecuteResult<State>> => {
  const { streamName, decider, request } = options;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  let preloaded = options.loaded;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { state, revision, position } = preloaded ?? (await loadStream(eventStore, streamName, decider));
    preloaded = undefined;
    if (request.idempotencyKey && revision >= 0) {
      const earlier = await eventStore.readStream(streamName, { idempotencyKey: request.idempotencyKey });
      if (earlier.length > 0) {
        if (earlier[0].metadata.requestHash !== request.requestHash) {
          throw ruleViolation('IdempotencyKeyReused', 'This Idempotency-Key was already used with a different request body');
        }
        const lastOfRequest = earlier[earlier.length - 1];
        return {
          streamName,
          events: earlier.map((e) => ({ type: e.type, data: e.data }) as DomainEvent),
          position: lastOfRequest.position,
          revision,
          state,
          replayed: true,
        };
      }
    }
    if (options.notFoundCode && revision < 0) {
      throw notFound(options.notFoundCode, `${streamName} does not exist`);
    }
    const command = options.prepare ? await options.prepare(state) : (options.command as C);
    const decided = decider.decide(command, state);
    if (decided.length === 0) {
      return { streamName, events: [], position, revision, state, replayed: false };
    }
    try {
      const result = await eventStore.append(
        streamName,
        toNewEvents(decided, request, options.schemaVersion ?? 1),
        revision >= 0 ? revision : 'no_stream',
      );
      const newState = foldOwned(decider.evolve, state, decided);
      rememberState(eventStore, streamName, decider, { state: newState, revision: result.nextRevision, position: result.position });
      return { streamName, events: decided, position: result.position, revision: result.nextRevision, state: newState, replayed: false };
    } catch (err) {
      if (err instanceof WrongExpectedRevisionError && attempt < maxAttempts) continue;
      if (err instanceof WrongExpectedRevisionError) {
        throw conflict('ConcurrencyConflict', `${streamName} kept changing while this request was decided; retry it`, {
          stream: streamName,
        });
      }
      throw err;
    }
  }
  /* istanbul ignore next */
  throw conflict('ConcurrencyConflict', `${streamName} kept changing; retry the request`);
};
