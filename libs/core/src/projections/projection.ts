import { DomainEvent } from '@salesline/shared-kernel';
import { RecordedEvent } from '../event-store/event-store.port';
import { IndexSpec, Scalar, StoredDocument } from '../read-store/read-store.port';

/**
 * A projection is an evolve function over read-model documents:
 * `(doc | null, event) → doc | null` (null deletes), with the explicit list of event types it
 * handles and a router naming the documents each event touches. The runtime keeps its
 * checkpoint and makes it idempotent by global position.
 *
 * Read models are written with `defineProjection` (typed events); `Projection` is the shape the
 * runtime runs, with the events as the store hands them over.
 */
export type ProjectionDocument = StoredDocument;

/**
 * What docs/read-models.md says about a read model beyond its document's TypeScript type, written on the
 * projection's definition (`npm run read-models:doc` collects it from the registered projections).
 */
export type ReadModelDocumentation<Types extends string = string> = Readonly<{
  /**
   * The TypeScript type of its documents, exported by `@salesline/<context>` (its fields are listed from the
   * type and its doc comments); documents of several shapes are written `'A | B'`.
   */
  document: string;
  /** The bounded context, which is also the package that exports `document`. */
  context: string;
  summary: string;
  /** Meanings of fields whose type carries no doc comment (a doc comment on the type wins). */
  meanings?: Readonly<Record<string, string>>;
  /** Field path (`a.b`, `list[].c`) → the event types that set or change it. */
  sources: Readonly<Record<string, readonly Types[]>>;
  /** Handled event types that change no field (the projection only records having seen them), with why. */
  unchangedBy?: Readonly<Partial<Record<Types, string>>>;
}>;

/**
 * The `sources` of fields that the same events write, one entry per field:
 * `sources: { id: ['CaseOpened'], ...writtenBy(['CaseOpened', 'CaseClosed'], ['status', 'closedOn']) }`.
 */
export const writtenBy = <const Types extends string>(
  events: readonly Types[],
  fields: readonly string[],
): Record<string, readonly Types[]> => Object.fromEntries(fields.map((field) => [field, events]));

export type Projection<Doc extends { id: string } = { id: string } & Record<string, unknown>> = Readonly<{
  name: string;
  collection: string;
  /** The version of what it writes (1 when absent): a change of it rebuilds the read model on start (`projectionVersion`). */
  version?: number;
  /** What docs/read-models.md says about it (every registered read model has it: read-models-doc.int.spec.ts). */
  documentation?: ReadModelDocumentation;
  handles: readonly string[];
  /** An index over the whole log (the audit timelines): every event type, `handles` ignored. */
  handlesAllEvents?: boolean;
  /**
   * Each document is written once, by the one event whose `documentIds` name it (an index entry keyed by the event's
   * position), and evolve never needs it as it stood: the runtime does not read it from the store before the fold
   * (evolve gets null). An event delivered again writes the same document, which the store's position guard ignores.
   */
  writeOnce?: boolean;
  indexes?: readonly IndexSpec[];
  /** Ids of the documents this event changes (usually one). */
  documentIds(event: RecordedEvent): readonly string[];
  /** Ids of other documents of the collection that evolve reads (`lookup`) for this event. */
  lookups?(event: RecordedEvent): readonly string[];
  // A method, so that a list of projections over different documents is one type (`AnyProjection`).
  evolve(doc: Doc | null, event: RecordedEvent, documentId: string, lookup: Lookup<Doc>): Doc | null;
  /** What each document adds to the rollups the runtime keeps beside the documents (see `RollupContribution`). */
  rollup?(doc: Doc): readonly RollupContribution[];
}>;

/** A document of the same collection as it stands before the event (null when absent); only ids named by `lookups`. */
export type Lookup<Doc> = (id: string) => Doc | null;

/**
 * One cell of a rollup: the runtime keeps each rollup document (`id`, in the projection's own collection, with
 * `fields` to select it by) as the sum, cell by cell, of what every document of the projection contributes. When a
 * document changes, the runtime subtracts what it contributed before and adds what it contributes now, in the same
 * write as the document; a cell whose values all come back to zero is removed, and a rollup without cells deleted.
 * A query then reads a bounded number of rollups instead of every document (ADR 0025).
 */
export type RollupContribution = Readonly<{
  id: string;
  fields: Readonly<Record<string, Scalar>>;
  cell: string;
  values: readonly number[];
}>;

/** A rollup document as stored: its fields and its cells (values summed over the contributing documents). */
export type RollupDocument = { id: string; cells: Record<string, number[]> } & Record<string, unknown>;

/** Any read model, whatever its document: what the runtime and the registrations hold. */
export type AnyProjection = Projection<{ id: string }>;

/** A recorded event of the domain union `E`: `type` narrows `data`, as in the domain's own switch. */
export type Recorded<E extends DomainEvent> = E extends unknown
  ? Omit<RecordedEvent, 'type' | 'data'> & Readonly<{ type: E['type']; data: E['data'] }>
  : never;

/** The domain event inside a recorded one (what a decider's `evolve` takes). */
export const domainEventOf = <E extends DomainEvent>(event: Recorded<E>): E => ({ type: event.type, data: event.data }) as E;

/** The events of the union `E` whose types the tuple lists. */
export type Listed<E extends DomainEvent, Types extends readonly string[]> = Extract<E, { type: Types[number] }>;

/** A read model as it is written: the handled event types as a tuple, and evolve over exactly those events. */
export type ProjectionDefinition<Doc extends { id: string }, E extends DomainEvent, Types extends readonly E['type'][]> = Readonly<{
  /** The checkpoint name, and the name for `projections:rebuild`. */
  name: string;
  collection: string;
  /**
   * The version of what it writes, 1 when absent. Bump it in the change that makes evolve, documentIds or rollup write
   * other documents than before: the runtime stores it beside the checkpoint, and on start empties a read model whose
   * stored version differs and catches it up from the start of the log (ADR 0033), so no deployment keeps stale
   * documents and no operator has to run `projections:rebuild`.
   */
  version?: number;
  /**
   * Its entry in docs/read-models.md: document type, context, summary, field meanings and the events that set each
   * field. Every registered read model has one (read-models-doc.int.spec.ts); a spec's fixture may go without.
   */
  documentation?: ReadModelDocumentation<Types[number]>;
  /** The event types it folds; the runtime delivers only these. */
  handles: Types;
  /** Each document is written by the one event that names it, never read before it (see `Projection`). */
  writeOnce?: boolean;
  indexes?: readonly IndexSpec[];
  /** Ids of the documents this event changes (usually one). */
  documentIds: (event: Recorded<Listed<E, Types>>) => readonly string[];
  /** Ids of other documents of the collection evolve may read through `lookup` (as they stand before the event). */
  lookups?: (event: Recorded<Listed<E, Types>>) => readonly string[];
  evolve: (doc: Doc | null, event: Recorded<Listed<E, Types>>, documentId: string, lookup: Lookup<Doc>) => Doc | null;
  /** Rollups kept beside the documents: what each document adds to them (`RollupContribution`). */
  rollup?: (doc: Doc) => readonly RollupContribution[];
}>;

/**
 * The one way to write a read model (Emmett's `canHandle` + `evolve`): name the domain event union, list
 * the types it handles, and `documentIds` / `evolve` receive those events typed, with no cast:
 *
 *   export const customersProjection = defineProjection<CustomerEvent>()({
 *     name: 'customers', collection: 'customers', handles: CUSTOMER_EVENT_TYPES,
 *     documentation: { document: 'CustomerDoc', context: 'customers', summary: '…', sources: { … } },
 *     documentIds: (event) => [event.data.customerId],
 *     evolve: evolveCustomerDoc,
 *   });
 *
 * Completeness is checked by the compiler: evolve's event is the union of the listed types only, so a
 * `switch (event.type)` ending in `assertNever(event)` fails to compile when a listed type has no case, and
 * a list built with `everyEventType<E>()` fails when the union gains a type it does not name.
 */
export const defineProjection =
  <E extends DomainEvent>() =>
  <Doc extends { id: string }, const Types extends readonly E['type'][]>(
    definition: ProjectionDefinition<Doc, E, Types>,
  ): Projection<Doc> =>
    // The runtime delivers only the listed types (`handles`), so the events it passes are these.
    definition as unknown as Projection<Doc>;

/** The version of what a projection writes, as declared (1 when it declares none). */
export const projectionVersion = (projection: Pick<AnyProjection, 'version'>): number => projection.version ?? 1;

/** The store filter that selects what a projection handles (none: every event). */
export const projectionFilter = (projection: Pick<AnyProjection, 'handles' | 'handlesAllEvents'>) =>
  projection.handlesAllEvents ? undefined : { eventTypes: projection.handles };

/** The event types a projection folds, as a set to test against (every type for an index over the whole log). */
export type HandledTypes = Pick<ReadonlySet<string>, 'has'>;
const EVERY_TYPE: HandledTypes = { has: () => true };
export const handledTypes = (projection: Pick<AnyProjection, 'handles' | 'handlesAllEvents'>): HandledTypes =>
  projection.handlesAllEvents ? EVERY_TYPE : new Set(projection.handles);

export const PROJECTIONS = Symbol('PROJECTIONS');
