import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, foldRecorded, metadataOf, NewEvent, ReadModels } from '@salesline/core';
import { RequestContext } from '@salesline/core';
import { customerDecider } from '@salesline/customers';
import { employeeDecider } from '@salesline/organization';
import { productDecider } from '@salesline/pricing';
import { orderDecider, quoteDecider } from '@salesline/sales';
import { Decider, notFound } from '@salesline/shared-kernel';
import { actorSubject, subjectKey, TimelineKind } from '../domain/audit-subjects';
import { diffStates, FieldChange, toPlain } from '../domain/state-diff';
import { auditLinksProjection } from '../read-models/audit-links.projection';
import { auditTimelineProjection, TimelineEntryDoc } from '../read-models/audit-timeline.projection';

/** What a timeline's answer keeps of an indexed entry's recording (the event itself is nested in `event`). */
type EntryRecording =
  'position' | 'businessDate' | 'actor' | 'recordedAt' | 'occurredAt' | 'correlationId' | 'causationId' | 'stream' | 'revision';
export type TimelineEntry = Readonly<
  Pick<TimelineEntryDoc, EntryRecording> & { event: { id: string; type: string; data: unknown; schemaVersion: number } }
>;

export type TimelinePage = Readonly<{ entries: TimelineEntry[]; next: number | null }>;

const NOT_FOUND_CODES: Record<TimelineKind, string> = {
  order: 'OrderNotFound',
  customer: 'CustomerNotFound',
  employee: 'EmployeeNotFound',
  product: 'ProductNotFound',
  quote: 'QuoteNotFound',
  return: 'ReturnNotFound',
};

type AnyDecider = Pick<Decider<unknown, never, never>, 'evolve' | 'initialState'>;
const DECIDERS: Record<Exclude<TimelineKind, 'return'>, AnyDecider> = {
  order: orderDecider as unknown as AnyDecider,
  customer: customerDecider as unknown as AnyDecider,
  employee: employeeDecider as unknown as AnyDecider,
  product: productDecider as unknown as AnyDecider,
  quote: quoteDecider as unknown as AnyDecider,
};

const toEntry = (doc: TimelineEntryDoc): TimelineEntry => ({
  position: doc.position,
  event: { id: doc.eventId, type: doc.type, data: doc.data, schemaVersion: doc.schemaVersion },
  businessDate: doc.businessDate,
  actor: doc.actor,
  recordedAt: doc.recordedAt,
  occurredAt: doc.occurredAt,
  correlationId: doc.correlationId,
  causationId: doc.causationId,
  stream: doc.stream,
  revision: doc.revision,
});

/** Finds a return inside its order's state (returns are part of the order aggregate). */
const findReturn = (state: unknown, returnId: string): unknown => {
  const plain = toPlain(state);
  const search = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return undefined;
    if ((v as { returnId?: unknown }).returnId === returnId) return v;
    for (const child of Object.values(v)) {
      const found = search(child);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search(plain) ?? null;
};

/**
 * The auditors' timelines: pages of the audit index by subject and position (never a scan of
 * the log), the state of a thing as recorded at a moment (folded from its stream by its own
 * decider), the difference between two moments, and a record of every such read.
 */
@Injectable()
export class AuditTimelines {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly reads: ReadModels,
  ) {}

  async waitFor(minPosition: number | undefined): Promise<void> {
    await this.reads.waitFor([auditTimelineProjection, auditLinksProjection], minPosition);
  }

  /** The subject and the subjects linked to it (its quote and invoices, an employee's plans and cases). */
  async subjectsOf(kind: TimelineKind, id: string): Promise<string[]> {
    const own = subjectKey(kind, id);
    const links = await this.reads.get(auditLinksProjection, own);
    return [own, ...(links?.members ?? [])];
  }

  async exists(kind: TimelineKind, id: string): Promise<void> {
    const [first] = await this.reads.find(auditTimelineProjection, { subject: subjectKey(kind, id) }, { limit: 1 });
    if (!first) throw notFound(NOT_FOUND_CODES[kind], `No ${kind} ${id} in the log`);
  }

  /**
   * One page, oldest first, strictly after `after`. An event about several of the subjects is
   * listed once. `next` is the cursor for the following page (null at the end).
   */
  async page(subjects: readonly string[], after: number, limit: number): Promise<TimelinePage> {
    const entries: TimelineEntry[] = [];
    let cursor = after;
    for (;;) {
      const batch = await this.reads.find(
        auditTimelineProjection,
        subjects.length === 1
          ? { subject: subjects[0], position: { $gt: cursor } }
          : { subject: { $in: [...subjects] }, position: { $gt: cursor } },
        { sort: { position: 1 }, limit },
      );
      for (const doc of batch) {
        if (doc.position === cursor) continue;
        cursor = doc.position;
        entries.push(toEntry(doc));
        if (entries.length === limit) return { entries, next: cursor };
      }
      if (batch.length < limit) return { entries, next: null };
    }
  }

  async timeline(kind: TimelineKind, id: string, after: number, limit: number) {
    await this.exists(kind, id);
    return this.page(await this.subjectsOf(kind, id), after, limit);
  }

  async asActor(userId: string, after: number, limit: number) {
    return this.page([actorSubject(userId)], after, limit);
  }

  /** The thing as recorded at `asOf`: its stream up to that instant, folded by its decider. */
  async stateAt(kind: TimelineKind, id: string, asOf: string): Promise<unknown> {
    if (kind === 'return') {
      const [first] = await this.reads.find(
        auditTimelineProjection,
        { subject: subjectKey('return', id) },
        { sort: { position: 1 }, limit: 1 },
      );
      if (!first) return null;
      const stream = await this.events.readStream(first.stream, { asOf });
      return findReturn(foldRecorded(DECIDERS.order, stream), id);
    }
    const stream = await this.events.readStream(`${kind}-${id}`, { asOf });
    return stream.length === 0 ? null : toPlain(foldRecorded(DECIDERS[kind], stream));
  }

  async diff(kind: TimelineKind, id: string, from: string, to: string): Promise<FieldChange[]> {
    const [before, after] = await Promise.all([this.stateAt(kind, id, from), this.stateAt(kind, id, to)]);
    return diffStates(before, after);
  }

  /** Who read what, and when: an AuditViewRead fact on the reader's own stream. */
  async recordRead(view: string, subjectId: string, query: Record<string, unknown>, ctx: RequestContext): Promise<void> {
    const event: NewEvent = {
      type: 'AuditViewRead',
      data: { view, subjectId, query: JSON.parse(JSON.stringify(query)), readerId: ctx.actor.userId, readOn: ctx.today },
      metadata: metadataOf(ctx),
    };
    // A log of reads has no invariant to protect: 'any' lets concurrent reads by one auditor both land.
    await this.events.append(`audit-reads-${ctx.actor.userId}`, [event], 'any');
  }
}
