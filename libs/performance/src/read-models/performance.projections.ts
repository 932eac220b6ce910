/**
 * The conduct and appraisal read models (ADR 0310). They only collect facts and states; ranks, trends and
 * measurements are computed by queries with the pure domain functions.
 */
import { defineProjection, Recorded, StateDoc, stateProjection } from '@salesline/core';
import { assertNever, everyEventType } from '@salesline/shared-kernel';
import { AppraisalEvent, AppraisalScored } from '../domain/appraisal';
import { DisciplinaryCaseEvent, DisciplinaryCaseOpened, CaseOutcome } from '../domain/disciplinary-case';
import { ImprovementPlanEvent, ImprovementPlanState, evolveImprovementPlan, initialImprovementPlanState } from '../domain/improvement-plan';
import { MeetingEvent, MeetingState, evolveMeeting, initialMeetingState } from '../domain/meeting';
import { ServiceFeedbackRecorded } from '../domain/service-feedback';
import { ViolationRecorded } from '../domain/violation';

// ── meetings (the decider's own state, one document per meeting) ─────────────
export const MEETING_EVENT_TYPES = everyEventType<MeetingEvent>()([
  'MeetingScheduled',
  'MeetingCancelled',
  'AbsenceExcused',
  'AttendanceRecorded',
  'MeetingMissed',
  'AttendanceCorrected',
]);
export type MeetingDoc = StateDoc<MeetingState>;

export const meetingsProjection = stateProjection<MeetingEvent>()({
  name: 'perf_meetings',
  collection: 'perf_meetings',
  handles: MEETING_EVENT_TYPES,
  indexes: [{ fields: ['scheduledFor'] }, { fields: ['status'] }],
  documentId: (event) => event.data.meetingId,
  evolve: evolveMeeting,
  initialState: initialMeetingState,
});

// ── improvement plans (the decider's own state) ──────────────────────────────
export const IMPROVEMENT_PLAN_EVENT_TYPES = everyEventType<ImprovementPlanEvent>()(['ImprovementPlanSet', 'ImprovementPlanReviewed']);
export type ImprovementPlanDoc = StateDoc<ImprovementPlanState>;

export const improvementPlansProjection = stateProjection<ImprovementPlanEvent>()({
  name: 'perf_improvement_plans',
  collection: 'perf_improvement_plans',
  handles: IMPROVEMENT_PLAN_EVENT_TYPES,
  indexes: [{ fields: ['employeeId'] }, { fields: ['status'] }, { fields: ['deadline'] }],
  documentId: (event) => event.data.planId,
  evolve: evolveImprovementPlan,
  initialState: initialImprovementPlanState,
});

// ── service feedback, one document per feedback ──────────────────────────────
export type ServiceFeedbackDoc = ServiceFeedbackRecorded['data'] & { id: string };

export const serviceFeedbackProjection = defineProjection<ServiceFeedbackRecorded>()({
  name: 'perf_service_feedback',
  collection: 'perf_service_feedback',
  handles: ['ServiceFeedbackRecorded'],
  indexes: [{ fields: ['employeeId', 'receivedOn'] }, { fields: ['customerId'] }],
  // Feedback ids are unique per salesperson (ADR 0301): the document id carries both.
  documentIds: (event) => [`${event.data.employeeId}/${event.data.feedbackId}`],
  evolve: (doc: ServiceFeedbackDoc | null, event, id) => doc ?? { ...event.data, id },
});

// ── violations, one document per violation ───────────────────────────────────
export type ViolationDoc = ViolationRecorded['data'] & { id: string };

export const violationsProjection = defineProjection<ViolationRecorded>()({
  name: 'perf_violations',
  collection: 'perf_violations',
  handles: ['ViolationRecorded'],
  indexes: [{ fields: ['employeeId', 'occurredOn'] }],
  documentIds: (event) => [`${event.data.employeeId}/${event.data.violationId}`],
  evolve: (doc: ViolationDoc | null, event, id) => doc ?? { ...event.data, id },
});

// ── disciplinary cases, with the facts that triggered them ───────────────────
export type DisciplinaryCaseDoc = DisciplinaryCaseOpened['data'] & {
  id: string;
  status: 'open' | 'closed';
  outcome: CaseOutcome | null;
  closedOn: string | null;
  decidedBy: string | null;
  note: string | null;
};

export const evolveDisciplinaryCaseDoc = (
  doc: DisciplinaryCaseDoc | null,
  event: Recorded<DisciplinaryCaseEvent>,
): DisciplinaryCaseDoc | null => {
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

export const disciplinaryCasesProjection = defineProjection<DisciplinaryCaseEvent>()({
  name: 'perf_disciplinary_cases',
  collection: 'perf_disciplinary_cases',
  handles: everyEventType<DisciplinaryCaseEvent>()(['DisciplinaryCaseOpened', 'DisciplinaryCaseClosed']),
  indexes: [{ fields: ['employeeId'] }, { fields: ['status'] }],
  documentIds: (event) => [event.data.caseId],
  evolve: evolveDisciplinaryCaseDoc,
});

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

export const evolveAppraisalScoreDoc = (doc: AppraisalScoreDoc | null, event: Recorded<AppraisalEvent>): AppraisalScoreDoc | null => {
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

export const appraisalScoresProjection = defineProjection<AppraisalEvent>()({
  name: 'appraisal_scores',
  collection: 'appraisal_scores',
  handles: everyEventType<AppraisalEvent>()(['AppraisalScored', 'AppraisalReviewed', 'RewardGranted', 'AppraisalAcknowledged']),
  indexes: [{ fields: ['period'] }, { fields: ['employeeId', 'period'] }],
  documentIds: (event) => [event.data.appraisalId],
  evolve: evolveAppraisalScoreDoc,
});

/** Cases in the order they arose: opened on, then the date their rule was reached, then trigger key. */
export const byCaseOpening = (a: DisciplinaryCaseDoc, b: DisciplinaryCaseDoc): number => {
  const reached = (c: DisciplinaryCaseDoc) => c.triggeringFacts.at(-1)?.occurredOn ?? c.openedOn;
  return a.openedOn.localeCompare(b.openedOn) || reached(a).localeCompare(reached(b)) || a.triggerKey.localeCompare(b.triggerKey);
};
