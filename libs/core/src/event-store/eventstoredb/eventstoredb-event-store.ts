import {
  BACKWARDS,
  END,
  ErrorType,
  eventTypeFilter,
  excludeSystemEvents,
  Filter,
  FORWARDS,
  jsonEvent,
  JSONType,
  KurrentDBClient,
  NO_STREAM,
  ReadPosition,
  ResolvedEvent,
  START,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { randomUUID } from 'node:crypto';
import { AllFilter, AppendResult, EventMetadata, EventStore, EventSubscription } from '../event-store.port';
import { ExpectedRevision, matchesFilter, NewEvent, ReadAllOptions, ReadStreamOptions } from '../event-store.port';
import { RecordedEvent, SubscribeOptions, WrongExpectedRevisionError } from '../event-store.port';
import { chainHash, ChainVerifier, GENESIS_HASH, IntegrityReport } from '../hash-chain';

const PING_TIMEOUT_MS = 5_000;

/** `$all` reads are inclusive of `fromPosition`; callers pass an exclusive position and skip it. */
const readPositionAfter = (afterPosition: number): ReadPosition =>
  afterPosition <= 0 ? START : { commit: BigInt(afterPosition), prepare: BigInt(afterPosition) };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * ESDB filters on one thing only (stream name or event type): push the more selective part
 * to the server and check the whole filter on the client. Without a filter, drop system events.
 */
const serverFilter = (filter: AllFilter | undefined): Filter => {
  if (filter?.eventTypes?.length) {
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  }
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  return excludeSystemEvents();
};

const isSystem = (event: RecordedEvent) => event.type.startsWith('$') || event.streamName.startsWith('$');

/** The event as stored, its chain link still in the metadata (for verification). */
const toChained = (resolved: ResolvedEvent): RecordedEvent | null => {
  const event = resolved.event;
  if (!event) return null;
  const commit = event.position?.commit ?? resolved.commitPosition;
  return {
    id: event.id,
    streamName: event.streamId,
    revision: Number(event.revision),
    position: commit === undefined ? 0 : Number(commit),
    type: event.type,
    data: event.data,
    metadata: event.metadata as EventMetadata,
    recordedAt: event.created.toISOString(),
  };
};

/** The event as every reader sees it: the chain link is the store's business, not the metadata's. */
const toRecorded = (resolved: ResolvedEvent): RecordedEvent | null => {
  const event = toChained(resolved);
  if (!event?.metadata?.chain) return event;
  const { chain: _chain, ...metadata } = event.metadata;
  return { ...event, metadata };
};

const isStreamNotFound = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { type?: unknown }).type === ErrorType.STREAM_NOT_FOUND;

/**
 * The body of an ESDB JSON event: the event's data, a JSON value (`null` for an event without data, since
 * `undefined` has no JSON). The client types a JSON body as an object, an array or a string (its `JSONType`)
 * but writes any value with `JSON.stringify`, and the reads here parse it back as it was; `null`, numbers and
 * booleans are the JSON values the client's type leaves out, passed through as they are.
 */
const jsonBody = (data: unknown): JSONType => data as JSONType;

/**
 * The scale-out event store on EventStoreDB / KurrentDB through `@kurrent/kurrentdb-client`.
 * Revisions are ESDB stream revisions, positions are `$all` commit positions (increasing,
 * not gap-free), metadata is the ESDB event metadata JSON, and `recordedAt` is the server's
 * `created` time, which is also what `asOf` reads are cut at.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;

  constructor(private readonly client: KurrentDBClient) {}

  /** `esdb://` or `kurrentdb://` connection string, e.g. `kurrentdb://localhost:2113?tls=false`. */
  static async connect(connectionString: string): Promise<EventStoreDbEventStore> {
    return new EventStoreDbEventStore(KurrentDBClient.connectionString(connectionString));
  }

  /**
   * Events carry their link of the stream's hash chain in `metadata.chain`: the chain is per stream,
   * because only a stream's order is decided at append (by the expected revision); `$all` order is
   * the server's. The last event is read first for its hash and the append then expects exactly its
   * revision, so a concurrent writer cannot fork the chain ('any' and 'stream_exists' retry instead).
   */
  async append(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    for (let attempt = 1; ; attempt++) {
      const [last] = await this.lastChained(streamName);
      const actual = last ? last.revision : 'no_stream';
      const ok =
        expectedRevision === 'any' ||
        (expectedRevision === 'no_stream' && !last) ||
        (expectedRevision === 'stream_exists' && last !== undefined) ||
        expectedRevision === actual;
      if (!ok) throw new WrongExpectedRevisionError(streamName, expectedRevision, actual);
      try {
        return await this.appendChained(streamName, events, last);
      } catch (err) {
        const retry = err instanceof WrongExpectedRevisionError && typeof expectedRevision !== 'number' && expectedRevision !== 'no_stream';
        if (!retry || attempt >= 5) {
          if (err instanceof WrongExpectedRevisionError) throw new WrongExpectedRevisionError(streamName, expectedRevision, err.actual);
          throw err;
        }
      }
    }
  }

  private async lastChained(streamName: string): Promise<RecordedEvent[]> {
    try {
      for await (const resolved of this.client.readStream(streamName, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        const event = toChained(resolved);
        if (event) return [event];
      }
    } catch (err) {
      if (isStreamNotFound(err)) return [];
      throw err;
    }
    return [];
  }

  private async appendChained(streamName: string, events: readonly NewEvent[], last: RecordedEvent | undefined): Promise<AppendResult> {
    let previousHash = last?.metadata.chain?.hash ?? GENESIS_HASH;
    let revision = last ? last.revision : -1;
    const eventData = events.map((event) => {
      revision += 1;
      const id = event.id ?? randomUUID();
      const data = event.data ?? null;
      const { chain: _ignored, ...metadata } = event.metadata;
      const hash = chainHash(
        { id, streamName, revision, type: event.type, dataJson: JSON.stringify(data), metadataJson: JSON.stringify(metadata) },
        previousHash,
      );
      const link = { ...metadata, chain: { hash, previousHash } };
      previousHash = hash;
      return jsonEvent({ id, type: event.type, data: jsonBody(data), metadata: link });
    });
    let result;
    const streamState = last ? BigInt(last.revision) : NO_STREAM;
    try {
      result = await this.client.appendToStream(streamName, eventData, { streamState });
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) {
        const actual = err.actualState === NO_STREAM ? 'no_stream' : Number(err.actualState);
        throw new WrongExpectedRevisionError(streamName, last ? last.revision : 'no_stream', actual);
      }
      throw err;
    }
    const nextRevision = Number(result.nextExpectedRevision);
    // A single event's commit position is its `$all` position. For a multi-event write, read the
    // last event back rather than rely on which record of the write the server reports.
    const position =
      events.length === 1 && result.position
        ? Number(result.position.commit)
        : (await this.readStream(streamName, { direction: 'backwards', fromRevision: nextRevision, maxCount: 1 }))[0].position;
    return { nextRevision, position };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    const asOf = options.asOf === undefined ? undefined : new Date(options.asOf).getTime();
    const events: RecordedEvent[] = [];
    try {
      const reads = this.client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        // With asOf or a key, events are skipped client-side, so the count applies after that.
        maxCount: asOf === undefined && options.idempotencyKey === undefined ? maxCount : Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of reads) {
        const event = toRecorded(resolved);
        if (!event) continue;
        if (asOf !== undefined && Date.parse(event.recordedAt) > asOf) {
          if (backwards) continue;
          break; // forwards, everything after this one is newer still
        }
        if (options.idempotencyKey !== undefined && event.metadata.idempotencyKey !== options.idempotencyKey) continue;
        events.push(event);
        if (events.length >= maxCount) break;
      }
    } catch (err) {
      if (isStreamNotFound(err)) return [];
      throw err;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllAs(options, toRecorded);
  }

  private async readAllAs(options: ReadAllOptions, convert: (resolved: ResolvedEvent) => RecordedEvent | null): Promise<RecordedEvent[]> {
    const after = options.afterPosition ?? 0;
    const maxCount = options.maxCount ?? 1000;
    const filter = serverFilter(options.filter);
    const events: RecordedEvent[] = [];
    // Page until enough events passed the client-side checks: the inclusive start event and
    // the part of the filter the server did not apply may drop some of each page.
    let from = after;
    while (events.length < maxCount) {
      const pageSize = maxCount - events.length + 1;
      let received = 0;
      let last = from;
      for await (const resolved of this.client.readAll({ fromPosition: readPositionAfter(from), maxCount: pageSize, filter })) {
        received += 1;
        const event = convert(resolved);
        if (!event) continue;
        last = Math.max(last, event.position);
        if (this.accepts(event, from, options.filter)) events.push(event);
      }
      if (received < pageSize || last === from) break; // end of the log
      from = last;
    }
    return events.slice(0, maxCount);
  }

  private accepts(event: RecordedEvent, after: number, filter: AllFilter | undefined): boolean {
    return event.position > after && !isSystem(event) && matchesFilter(filter, event.streamName, event.type);
  }

  /**
   * A server-side catch-up subscription (catch up, then live) pulled with `for await`, so the
   * consumer's pace back-pressures the gRPC stream. Starts strictly after `afterPosition`.
   */
  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const after = options.afterPosition ?? 0;
    const subscription = this.client.subscribeToAll({
      fromPosition: readPositionAfter(after),
      filter: serverFilter(options.filter),
    });
    let stopped = false;
    const accepts = (event: RecordedEvent) => this.accepts(event, after, options.filter);

    async function* iterate(): AsyncGenerator<RecordedEvent> {
      try {
        for await (const resolved of subscription) {
          if (stopped) return;
          const event = toRecorded(resolved as ResolvedEvent);
          if (event && accepts(event)) yield event;
        }
      } catch (err) {
        // Cancelling and destroying the stream on unsubscribe ends a pending read with an error.
        if (!stopped) throw err;
      } finally {
        await subscription.unsubscribe().catch(() => undefined);
      }
    }

    const iterator = iterate();
    return {
      [Symbol.asyncIterator]: () => iterator,
      async unsubscribe() {
        if (stopped) return;
        stopped = true;
        await subscription.unsubscribe().catch(() => undefined);
        // The cancelled gRPC call does not always end the readable: destroy it so a pending
        // `next()` settles instead of waiting forever.
        subscription.destroy();
        await iterator.return(undefined);
      },
    };
  }

  async headPosition(filter?: AllFilter): Promise<number> {
    // The server applies one filter; the rest of it is checked here, newest first.
    const reads = this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      filter: filter ? serverFilter(filter) : excludeSystemEvents(),
    });
    // Leaving the loop early ends the read (the iterator's return() closes the stream).
    for await (const resolved of reads) {
      const event = toRecorded(resolved);
      if (event && matchesFilter(filter, event.streamName, event.type)) return event.position;
    }
    return 0;
  }

  /** Walks `$all` and checks each stream's chain (metadata.chain); names the first event that does not match. */
  async verifyIntegrity(): Promise<IntegrityReport> {
    const chains = new Map<string, ChainVerifier>();
    let checked = 0;
    let head: IntegrityReport['head'] = { position: 0, hash: GENESIS_HASH, eventId: null };
    let after = 0;
    for (;;) {
      const page = await this.readAllAs({ afterPosition: after, maxCount: 1000 }, toChained);
      for (const event of page) {
        let verifier = chains.get(event.streamName);
        if (!verifier) chains.set(event.streamName, (verifier = new ChainVerifier({ sequential: false, coversPosition: false })));
        const { chain, ...metadata } = event.metadata;
        const ok = verifier.check({
          position: event.position,
          id: event.id,
          streamName: event.streamName,
          revision: event.revision,
          type: event.type,
          dataJson: JSON.stringify(event.data ?? null),
          metadataJson: JSON.stringify(metadata),
          storedHash: chain?.hash ?? null,
          storedPreviousHash: chain?.previousHash ?? null,
        });
        if (!ok) return { ...verifier.report(), checked };
        checked += 1;
        head = { position: event.position, hash: chain?.hash ?? GENESIS_HASH, eventId: event.id };
      }
      if (page.length < 1000) return { ok: true, checked, head };
      after = page[page.length - 1].position;
    }
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`EventStoreDB did not answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    const read = (async () => {
      for await (const _ of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) break;
    })();
    try {
      await Promise.race([read, timeout]);
    } finally {
      clearTimeout(timer);
      read.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
