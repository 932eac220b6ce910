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

export const timelineEntryOf = (event: RecordedEvent, subject: string, role: 'about' | 'actor'): Omit<TimelineEntryDoc, 'id'> => ({
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

/** Every event of the log (the index is about all of them): an empty list means all types. */
export const auditTimelineProjection: Projection<TimelineEntryDoc> = {
  name: 'audit-timeline',
  collection: 'audit_timeline',
  handles: [],
  handlesAllEvents: true,
  indexes: [{ fields: ['subject', 'position'] }],
  documentIds: (event) => {
    const { about, actor } = subjectsOf(event);
    return [...about.map((s) => entryId(s, event.position)), ...(actor ? [entryId(actor, event.position)] : [])];
  },
  evolve: (doc, event, documentId) => {
    if (doc) return doc;
    const subject = documentId.slice(0, documentId.lastIndexOf(SEPARATOR));
    return { id: documentId, ...timelineEntryOf(event, subject, subject.startsWith('actor:') ? 'actor' : 'about') };
  },
};
