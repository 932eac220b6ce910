import { Projection, RecordedEvent } from '@salesline/core';
import { businessDateOf, subjectsOf } from '../domain/audit-subjects';

/**
 * One entry per (subject, event): the index the auditors' timelines page through, by subject and
 * position, without scanning the log. `role` says whether the subject is what the event is about
 * or who caused it.
 */
export type TimelineEntryDoc = {
  id: string;
  subject: string;
  role: 'about' | 'actor';
  position: number;
  eventId: string;
  type: string;
  stream: string;
  revision: number;
  businessDate: string | null;
  actor: string;
  recordedAt: string;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  schemaVersion: number;
  data: unknown;
};

const SEPARATOR = '@';
const entryId = (subject: string, position: number) => `${subject}${SEPARATOR}${position}`;

/** The entry of one subject for one event, built as one object (a rebuild makes two or three per event of the log). */
const timelineEntry = (event: RecordedEvent, id: string, subject: string, role: 'about' | 'actor'): TimelineEntryDoc => ({
  id,
  subject,
  role,
  position: event.position,
  eventId: event.id,
  type: event.type,
  stream: event.streamName,
  revision: event.revision,
  businessDate: businessDateOf(event.data),
  actor: event.metadata.actor,
  recordedAt: event.recordedAt,
  occurredAt: event.metadata.occurredAt,
  correlationId: event.metadata.correlationId,
  causationId: event.metadata.causationId,
  schemaVersion: event.metadata.schemaVersion,
  data: event.data,
});

/** The fields of an entry, each written by every event the timeline indexes. */
const TIMELINE_FIELDS = [
  'id',
  'subject',
  'role',
  'position',
  'eventId',
  'type',
  'stream',
  'revision',
  'businessDate',
  'actor',
  'recordedAt',
  'occurredAt',
  'correlationId',
  'causationId',
  'schemaVersion',
  'data',
] as const;
/** The event types the documentation names as the sources of a timeline entry (it indexes every event of the log). */
const INDEXED_EVENT_TYPES: readonly string[] = [
  'AccessTokenIssued',
  'RegionEstablished',
  'BranchOpened',
  'AgentAppointed',
  'TeamFormed',
  'SalespersonHired',
  'TerritoryAssigned',
  'SkuReserved',
  'ProductRegistered',
  'PriceListCreated',
  'CustomerRegistered',
  'DisciplinePolicyDefined',
  'AppraisalSchemeDefined',
  'CompanyTargetSet',
  'TargetAssigned',
  'TargetPlanFinalized',
  'QuoteIssued',
  'CreditReserved',
  'OrderPlaced',
  'OrderConfirmed',
  'SalesExpenseRecorded',
  'CustomerVisited',
  'MeetingScheduled',
  'AttendanceRecorded',
  'ServiceFeedbackRecorded',
  'QuoteAccepted',
  'QuoteConverted',
  'BillOfLadingReserved',
  'GoodsDelivered',
  'InvoiceIssued',
  'InvoicePosted',
  'DisciplinaryCaseOpened',
  'ReturnRequested',
  'ReturnAccepted',
  'ReturnedGoodsReceived',
  'CreditNoteIssued',
  'CreditNotePosted',
  'AppraisalScored',
  'AppraisalReviewed',
  'RewardGranted',
  'AppraisalAcknowledged',
  'QuoteRejected',
  'PaymentReceived',
  'PaymentAllocated',
  'ImprovementPlanSet',
  'OrderCancelled',
  'CreditReservationRefused',
  'PriceOverrideRequested',
  'OrderPutOnCreditHold',
  'PriceOverrideRejected',
  'ViolationRecorded',
  'SalesPlanSubmitted',
  'SalesPlanApproved',
  'SalesPlanReturned',
];

/** Every event of the log (the index is about all of them): an empty list means all types. */
export const auditTimelineProjection: Projection<TimelineEntryDoc> = {
  name: 'audit-timeline',
  collection: 'audit_timeline',
  documentation: {
    document: 'TimelineEntryDoc',
    context: 'audit',
    summary:
      "The auditors' index: one entry per (subject, event), subject `order:<id>`, `customer:<id>`, `employee:<id>`, `product:<id>`, `quote:<id>`, `return:<id>`, `invoice:<id>`, `credit-note:<id>`, `stream:<name>` or `actor:<userId>`. Serves `GET /api/audit/{kind}/{id}` paged by position.",
    meanings: {
      id: '`<subject>|<position>`: one entry per subject and event.',
      subject: 'Whose timeline the entry is in (`order:<id>`, `employee:<id>`, `actor:<userId>`, …).',
      role: '`about` (the event is about the subject) or `actor` (the subject caused it).',
      position: 'Global position of the event.',
      eventId: 'The event id.',
      type: 'Event type.',
      stream: 'Stream the event is in.',
      revision: 'Revision of the event in its stream.',
      businessDate: 'Business date of the fact (null where the event carries none, ADR 0022).',
      actor: 'User who caused the event.',
      recordedAt: 'When it was recorded (ISO instant).',
      occurredAt: 'Wall-clock time of the command.',
      correlationId: 'Correlation id of the request or process that caused it.',
      causationId: 'Id of the event that caused it (process managers), or null.',
      schemaVersion: 'Schema version the event was written with.',
      data: 'The event data as recorded (before upcasting).',
    },
    // Every field of an entry is written by each event it indexes: one list serves them all.
    sources: Object.fromEntries(TIMELINE_FIELDS.map((field) => [field, INDEXED_EVENT_TYPES])),
  },
  handles: [],
  handlesAllEvents: true,
  // An entry's id carries its event's position: only that event writes it.
  writeOnce: true,
  indexes: [{ fields: ['subject', 'position'] }],
  documentIds: (event) => {
    const { about, actor } = subjectsOf(event);
    return [...about.map((s) => entryId(s, event.position)), ...(actor ? [entryId(actor, event.position)] : [])];
  },
  evolve: (doc, event, documentId) => {
    if (doc) return doc;
    const subject = documentId.slice(0, documentId.lastIndexOf(SEPARATOR));
    return timelineEntry(event, documentId, subject, subject.startsWith('actor:') ? 'actor' : 'about');
  },
};
