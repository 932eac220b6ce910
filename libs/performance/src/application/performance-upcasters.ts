import type { Upcaster } from '@salesline/core';
import { TriggeringFact } from '../domain/discipline-evaluator';
import { thresholdCrossedOn } from '../domain/disciplinary-case';
import { defaultScheduledOn } from '../domain/meeting';

/**
 * Disciplinary cases are written at schema version 2 (issue 8 §3): `DisciplinaryCaseOpened.openedOn` is the
 * day the rule's threshold was crossed. Version 1 dated the case by the day it was written (which stays in the
 * metadata's `occurredAt`): `openedOn` is read from its triggering facts instead.
 */
export const DISCIPLINARY_CASE_SCHEMA_VERSION = 2;

/**
 * Meetings are written at schema version 2: `MeetingScheduled.scheduledOn` is the day the meeting was scheduled.
 * Version 1 could not be dated: it reads with the day it was recorded, or the meeting day when it was recorded
 * after it (ADR 0022's gap, closed by issue 8 §3).
 */
export const MEETING_SCHEMA_VERSION = 2;

export const performanceUpcasters: Upcaster[] = [
  {
    type: 'DisciplinaryCaseOpened',
    fromVersion: 1,
    upcast: (data: { openedOn: string; triggeringFacts: TriggeringFact[] }) => ({
      ...data,
      openedOn: data.triggeringFacts.length > 0 ? thresholdCrossedOn(data.triggeringFacts) : data.openedOn,
    }),
  },
  {
    type: 'MeetingScheduled',
    fromVersion: 1,
    upcast: (data: { scheduledFor: string; scheduledOn?: string }, metadata) => ({
      ...data,
      scheduledOn: data.scheduledOn ?? defaultScheduledOn(data.scheduledFor, metadata.occurredAt.slice(0, 10)),
    }),
  },
];
