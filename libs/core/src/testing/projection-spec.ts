import { deepStrictEqual } from 'node:assert/strict';
import { expect } from '@jest/globals';
import { DomainEvent } from '@salesline/shared-kernel';
import { EventMetadata, RecordedEvent } from '../event-store/event-store.port';
import { applyEventsToProjection } from '../projections/apply-events';
import { Projection, Recorded } from '../projections/projection';
import { ApplyBatchResult, ReadStore, StoredDocument } from '../read-store/read-store.port';

const SPEC_METADATA: EventMetadata = {
  actor: 'u-test',
  correlationId: 'c-test',
  causationId: null,
  occurredAt: '2025-01-15T10:00:00.000Z',
  schemaVersion: 1,
};

/** Event metadata for specs: the spec defaults with what the spec cares about (an upcaster: the schema version and when it was recorded). */
export const eventMetadata = (metadata: Partial<EventMetadata>): EventMetadata => ({ ...SPEC_METADATA, ...metadata });

/** A recorded event for specs: the domain event as the store would hand it to a projection. */
export const recordedEvent = <E extends DomainEvent>(
  streamName: string,
  event: E,
  at: Readonly<{ position: number; revision?: number; occurredAt?: string; metadata?: Partial<EventMetadata> }>,
): Recorded<E> =>
  ({
    id: `e-${at.position}`,
    streamName,
    revision: at.revision ?? at.position - 1,
    position: at.position,
    type: event.type,
    data: event.data,
    metadata: { ...SPEC_METADATA, ...(at.occurredAt ? { occurredAt: at.occurredAt } : {}), ...at.metadata },
    recordedAt: at.occurredAt ?? SPEC_METADATA.occurredAt,
  }) as Recorded<E>;

export type ProjectionSpecOptions = Readonly<{
  /** The stream a domain event was appended to (recorded events keep their own); default `test-1`. */
  streamOf?: (event: DomainEvent) => string;
}>;

type Documents<Doc> = Record<string, Doc>;

/**
 * Given/Then for projections, run through the projection runtime's own batch code
 * (`applyEventsToProjection`) over documents kept in memory:
 *
 *   projectionSpec(receivablesProjection, { streamOf: () => 'account-c-1' })
 *     .given(invoicePosted, paymentReceived)
 *     .then({ 'c-1': expect.objectContaining({ openReceivables: 100_00 }) });
 *
 * Every spec runs the events twice: once, and once with each event delivered a second time (as after
 * a crash between writing documents and moving the checkpoint), and fails unless both give the same
 * documents. Documents are returned without the runtime's `_position`.
 */
export const projectionSpec = <Doc extends { id: string }>(projection: Projection<Doc>, options: ProjectionSpecOptions = {}) => ({
  given: (...given: ReadonlyArray<DomainEvent | RecordedEvent | ReadonlyArray<DomainEvent | RecordedEvent>>) => {
    const recorded = toRecorded(given.flat(), options.streamOf ?? (() => 'test-1'));
    let result: Promise<Documents<Doc>> | null = null;
    const documents = (): Promise<Documents<Doc>> =>
      (result ??= (async () => {
        const once = await project(projection, recorded, 1);
        const twice = await project(projection, recorded, 2);
        deepStrictEqual(twice, once, `projection ${projection.name} is not idempotent: delivering each event twice changed its documents`);
        return once;
      })());
    return {
      documents,
      /** The document with this id, or undefined. */
      document: async (id: string): Promise<Doc | undefined> => (await documents())[id],
      /** All documents equal `expected` (jest equality, so asymmetric matchers work), or `assert` checks them. */
      then: async (expected: Documents<unknown> | ((docs: Documents<Doc>) => void)): Promise<Documents<Doc>> => {
        const docs = await documents();
        if (typeof expected === 'function') expected(docs);
        else expect(docs).toEqual(expected);
        return docs;
      },
    };
  },
});

const isRecorded = (event: DomainEvent | RecordedEvent): event is RecordedEvent => 'position' in event && 'streamName' in event;

const toRecorded = (events: ReadonlyArray<DomainEvent | RecordedEvent>, streamOf: (event: DomainEvent) => string): RecordedEvent[] => {
  const revisions = new Map<string, number>();
  return events.map((event, i) => {
    if (isRecorded(event)) return event;
    const stream = streamOf(event);
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    return recordedEvent(stream, event, { position: i + 1, revision });
  });
};

/** Feeds each event `deliveries` times, each delivery its own batch that does not move the checkpoint. */
const project = async <Doc extends { id: string }>(projection: Projection<Doc>, events: readonly RecordedEvent[], deliveries: number) => {
  const documents = new DocumentsInMemory();
  for (const event of events) {
    for (let delivery = 0; delivery < deliveries; delivery++) {
      await applyEventsToProjection(
        documents.asReadStore(),
        projection,
        [event],
        projection.name,
        projection.collection,
        0,
        event.position,
      );
    }
  }
  return documents.withoutPositions<Doc>();
};

/** Just the part of the read store that the batch code uses; the checkpoint is deliberately not kept. */
class DocumentsInMemory {
  private readonly docs = new Map<string, StoredDocument>();

  asReadStore(): ReadStore {
    const store: Pick<ReadStore, 'get' | 'applyBatch'> = {
      get: async <T>(_collection: string, id: string) => (structuredClone(this.docs.get(id)) ?? null) as T | null,
      applyBatch: async ({ changes }): Promise<ApplyBatchResult> => {
        for (const change of changes) {
          if (change.op === 'upsert') this.docs.set(change.id, structuredClone(change.doc));
          else this.docs.delete(change.id);
        }
        return 'applied';
      },
    };
    // The batch code calls only get and applyBatch; anything else would fail loudly.
    return store as ReadStore;
  }

  withoutPositions<Doc>(): Documents<Doc> {
    const out: Documents<Doc> = {};
    for (const [id, { _position: _ignored, ...doc }] of [...this.docs].sort(([a], [b]) => a.localeCompare(b)))
      out[id] = doc as unknown as Doc;
    return out;
  }
}
