/**
 * The conduct and appraisal read models (ADR 0310). They only collect facts and states; ranks, trends and
 * measurements are computed by queries with the pure domain functions.
 */
import { Projection, RecordedEvent } from '@salesline/core';
import { stateProjection } from '@salesline/organization';
import { assertNever } from '@salesline/shared-kernel';
import { AppraisalEvent, AppraisalScored } from '../domain/appraisal';
import { DisciplinaryCaseEvent, DisciplinaryCaseOpened, CaseOutcome } from '../domain/disciplinary-case';
import { ImprovementPlanEvent, ImprovementPlanState, evolveImprovementPlan, initialImprovementPlanState } from '../domain/improvement-plan';
import { MeetingEvent, MeetingState, evolveMeeting, initialMeetingState } from '../domain/meeting';
import { ServiceFeedbackRecorded } from '../domain/service-feedback';
import { ViolationRecorded } from '../domain/violation';

const field = (name: string) => (event: { data: unknown }) => (event.data as Record<string, string>)[name];

// ── meetings (the decider's own state, one document per meeting) ─────────────
export const MEETING_EVENT_TYPES: Record<MeetingEvent['type'], true> = {
  MeetingScheduled: true,
  MeetingCancelled: true,
  AbsenceExcused: true,
  AttendanceRecorded: true,
  MeetingMissed: true,
  AttendanceCorrected: true,
};
export type MeetingDoc = Exclude<MeetingState, { status: 'none' }> & { id: string; updatedAt: string; version: number };

export const meetingsProjection = stateProjection<MeetingState, MeetingEvent>({
  name: 'perf_meetings',
  collection: 'perf_meetings',
  handles: MEETING_EVENT_TYPES,
  indexes: [{ fields: ['scheduledFor'] }, { fields: ['status'] }],
  idOf: field('meetingId'),
  evolve: evolveMeeting,
  initialState: initialMeetingState,
}) as unknown as Projection<MeetingDoc>;

// ── improvement plans (the decider's own state) ──────────────────────────────
export const IMPROVEMENT_PLAN_EVENT_TYPES: Record<ImprovementPlanEvent['type'], true> = {
  ImprovementPlanSet: true,
  ImprovementPlanReviewed: true,
};
export type ImprovementPlanDoc = Exclude<ImprovementPlanState, { status: 'none' }> & { id: string; updatedAt: string; version: number };

export const improvementPlansProjection = stateProjection<ImprovementPlanState, ImprovementPlanEvent>({
  name: 'perf_improvement_plans',
  collection: 'perf_improvement_plans',
  handles: IMPROVEMENT_PLAN_EVENT_TYPES,
  indexes: [{ fields: ['employeeId'] }, { fields: ['status'] }, { fields: ['deadline'] }],
  idOf: field('planId'),
  evolve: evolveImprovementPlan,
  initialState: initialImprovementPlanState,
}) as unknown as Projection<ImprovementPlanDoc>;

// ── service feedback, one document per feedback ──────────────────────────────
export type ServiceFeedbackDoc = ServiceFeedbackRecorded['data'] & { id: string };

export const serviceFeedbackProjection: Projection<ServiceFeedbackDoc> = {
  name: 'perf_service_feedback',
  collection: 'perf_service_feedback',
  handles: ['ServiceFeedbackRecorded'] satisfies ServiceFeedbackRecorded['type'][],
  indexes: [{ fields: ['employeeId', 'receivedOn'] }, { fields: ['customerId'] }],
  // Feedback ids are unique per salesperson (ADR 0301): the document id carries both.
  documentIds: (event) => [`${field('employeeId')(event)}/${field('feedbackId')(event)}`],
  evolve: (doc, event, id) => doc ?? { ...(event.data as ServiceFeedbackRecorded['data']), id },
};

// ── violations, one document per violation ───────────────────────────────────
export type ViolationDoc = ViolationRecorded['data'] & { id: string };

export const violationsProjection: Projection<ViolationDoc> = {
  name: 'perf_violations',
  collection: 'perf_violations',
  handles: ['ViolationRecorded'] satisfies ViolationRecorded['type'][],
  indexes: [{ fields: ['employeeId', 'occurredOn'] }],
  documentIds: (event) => [`${field('employeeId')(event)}/${field('violationId')(event)}`],
  evolve: (doc, event, id) => doc ?? { ...(event.data as ViolationRecorded['data']), id },
};

// ── disciplinary cases, with the facts that triggered them ───────────────────
export type DisciplinaryCaseDoc = DisciplinaryCaseOpened['data'] & {
  id: string;
  status: 'open' | 'closed';
  outcome: CaseOutcome | null;
  closedOn: string | null;
  decidedBy: string | null;
  note: string | null;
};

const DISCIPLINARY_CASE_EVENT_TYPES: Record<DisciplinaryCaseEvent['type'], true> = {
  DisciplinaryCaseOpened: true,
  DisciplinaryCaseClosed: true,
};

export const evolveDisciplinaryCaseDoc = (doc: DisciplinaryCaseDoc | null, recorded: RecordedEvent): DisciplinaryCaseDoc | null => {
  const event = { type: recorded.type, data: recorded.data } as DisciplinaryCaseEvent;
  switch (event.type) {
    case 'DisciplinaryCaseOpened':
      return doc ?? { ...event.data, id: event.data.caseId, status: 'open', outcome: null, closedOn: null, decidedBy: null, note: null };
    case 'DisciplinaryCaseClosed':
      return (
        doc && {
          ...doc,
          status: 'closed',
          outcome: event.data.outcome,
          closedOn: event.data.closedOn,
          decidedBy: event.data.decidedBy,
          note: event.data.note,
        }
      );
    default:
      return assertNever(event);
  }
};

export const disciplinaryCasesProjection: Projection<DisciplinaryCaseDoc> = {
  name: 'perf_disciplinary_cases',
  collection: 'perf_disciplinary_cases',
  handles: Object.keys(DISCIPLINARY_CASE_EVENT_TYPES),
  indexes: [{ fields: ['employeeId'] }, { fields: ['status'] }],
  documentIds: (event) => [field('caseId')(event)],
  evolve: evolveDisciplinaryCaseDoc,
};

// ── appraisal scores: one document per employee and period ───────────────────
export type AppraisalScoreDoc = AppraisalScored['data'] & {
  id: string;
  status: 'scored' | 'reviewed' | 'acknowledged';
  /** Every revision's total, oldest first (a back-dated fact re-scores an unreviewed appraisal). */
  revisions: { revision: number; total: number; scoredOn: string }[];
  review: { reviewedBy: string; reviewedOn: string; feedback: string; revision: number } | null;
  rewardGranted: { kind: string; amount: number | null; grantedOn: string } | null;
  improvementPlanId: string | null;
  acknowledgement: { acknowledgedOn: string; comment: string } | null;
};

const APPRAISAL_EVENT_TYPES: Record<AppraisalEvent['type'], true> = {
  AppraisalScored: true,
  AppraisalReviewed: true,
  RewardGranted: true,
  AppraisalAcknowledged: true,
};

export const evolveAppraisalScoreDoc = (doc: AppraisalScoreDoc | null, recorded: RecordedEvent): AppraisalScoreDoc | null => {
  const event = { type: recorded.type, data: recorded.data } as AppraisalEvent;
  switch (event.type) {
    case 'AppraisalScored': {
      const revisions = [
        ...(doc?.revisions ?? []),
        { revision: event.data.revision, total: event.data.total, scoredOn: event.data.scoredOn },
      ];
      return {
        review: null,
        rewardGranted: null,
        improvementPlanId: null,
        acknowledgement: null,
        ...doc,
        ...event.data,
        id: event.data.appraisalId,
        status: 'scored',
        revisions,
      };
    }
    case 'AppraisalReviewed': {
      if (!doc) return doc;
      const { reviewedBy, reviewedOn, feedback, revision, improvementPlan } = event.data;
      return {
        ...doc,
        status: 'reviewed',
        review: { reviewedBy, reviewedOn, feedback, revision },
        improvementPlanId: improvementPlan?.planId ?? null,
      };
    }
    case 'RewardGranted':
      return doc && { ...doc, rewardGranted: { kind: event.data.kind, amount: event.data.amount, grantedOn: event.data.grantedOn } };
    case 'AppraisalAcknowledged':
      return (
        doc && {
          ...doc,
          status: 'acknowledged',
          acknowledgement: { acknowledgedOn: event.data.acknowledgedOn, comment: event.data.comment },
        }
      );
    default:
      return assertNever(event);
  }
};

export const appraisalScoresProjection: Projection<AppraisalScoreDoc> = {
  name: 'appraisal_scores',
  collection: 'appraisal_scores',
  handles: Object.keys(APPRAISAL_EVENT_TYPES),
  indexes: [{ fields: ['period'] }, { fields: ['employeeId', 'period'] }],
  documentIds: (event) => [field('appraisalId')(event)],
  evolve: evolveAppraisalScoreDoc,
};

/** Cases in the order they arose: opened on, then the date their rule was reached, then trigger key. */
export const byCaseOpening = (a: DisciplinaryCaseDoc, b: DisciplinaryCaseDoc): number => {
  const reached = (c: DisciplinaryCaseDoc) => c.triggeringFacts.at(-1)?.occurredOn ?? c.openedOn;
  return a.openedOn.localeCompare(b.openedOn) || reached(a).localeCompare(reached(b)) || a.triggerKey.localeCompare(b.triggerKey);
};
