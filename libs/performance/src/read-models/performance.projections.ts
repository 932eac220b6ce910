/**
 * The conduct and appraisal read models (ADR 0310). They only collect facts and states; ranks, trends and
 * measurements are computed by queries with the pure domain functions.
 */
import { defineProjection, Recorded, StateDoc, stateProjection, writtenBy } from '@salesline/core';
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
  documentation: {
    document: 'MeetingDoc',
    context: 'performance',
    summary: 'One document per meeting: attendees, attendance, excusals.',
    meanings: {
      id: 'The meeting id.',
      updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
      version: 'Stream revision of the last event applied (0 for the first).',
      status: '`scheduled` or `cancelled`.',
      meetingId: 'The meeting id.',
      kind: '`company`, `department`, … meeting.',
      title: 'Title.',
      startsAt: 'Start time, HH:MM.',
      attendees: 'Employees expected.',
      excused: 'Attendees excused in advance.',
      attendance: "Each attendee's mark (attended, late, left early, missed) with minutes.",
    },
    sources: {
      ...writtenBy(['MeetingScheduled'], ['id', 'meetingId', 'kind', 'title', 'scheduledFor', 'startsAt', 'attendees']),
      ...writtenBy(
        ['MeetingScheduled', 'AttendanceRecorded', 'MeetingCancelled', 'AbsenceExcused', 'MeetingMissed', 'AttendanceCorrected'],
        ['updatedAt', 'version'],
      ),
      status: ['MeetingScheduled', 'MeetingCancelled'],
      excused: ['MeetingScheduled', 'AbsenceExcused'],
      attendance: ['MeetingScheduled', 'AttendanceRecorded', 'MeetingMissed', 'AttendanceCorrected'],
    },
  },
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
  documentation: {
    document: 'ImprovementPlanDoc',
    context: 'performance',
    summary: 'One document per improvement plan: goals, deadline, review.',
    meanings: {
      id: 'The plan id.',
      updatedAt: 'Wall-clock time (occurredAt) of the last event applied.',
      version: 'Stream revision of the last event applied (0 for the first).',
      status: '`set`, or `reviewed` at the deadline.',
      planId: 'The plan id.',
      employeeId: 'The employee on the plan.',
      appraisalId: 'The appraisal whose review set it.',
      goals: 'The goals agreed.',
      'goals[].description': 'What is to be achieved.',
      'goals[].measure': 'How it is measured.',
      'goals[].target': 'The target value.',
      outcome: 'At review: `met` or `not_met`.',
    },
    sources: {
      ...writtenBy(
        ['ImprovementPlanSet'],
        ['id', 'planId', 'employeeId', 'appraisalId', 'deadline', 'goals', 'goals[].description', 'goals[].measure', 'goals[].target'],
      ),
      ...writtenBy(['ImprovementPlanSet', 'ImprovementPlanReviewed'], ['updatedAt', 'version', 'status']),
      ...writtenBy(['ImprovementPlanReviewed'], ['outcome', 'reviewedOn']),
    },
  },
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
  documentation: {
    document: 'ServiceFeedbackDoc',
    context: 'performance',
    summary: 'One document per service feedback received.',
    meanings: {
      id: 'The feedback id.',
      feedbackId: 'The feedback id.',
      customerId: 'The customer who gave it.',
      employeeId: 'The salesperson it is about.',
      score: 'Score 1–5.',
      comment: 'Free text.',
      recordedBy: 'The user who recorded it.',
    },
    sources: {
      ...writtenBy(
        ['ServiceFeedbackRecorded'],
        ['id', 'feedbackId', 'customerId', 'employeeId', 'score', 'comment', 'receivedOn', 'recordedBy'],
      ),
    },
  },
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
  documentation: {
    document: 'ViolationDoc',
    context: 'performance',
    summary: 'One document per recorded violation, with its evidence.',
    meanings: {
      id: 'The violation id.',
      violationId: 'The violation id.',
      employeeId: 'The employee who committed it.',
      kind: 'Kind of violation.',
      severity: '`minor` or `serious` (discipline policies react to it).',
      description: 'What happened.',
      evidence: 'The evidence recorded with it.',
      'evidence[].kind': 'Kind of evidence (witness, document, price override request, …).',
      'evidence[].reference': 'What the evidence refers to (a person, document or record id).',
      'evidence[].note': 'Free text.',
      recordedBy: 'The manager who recorded it.',
    },
    sources: {
      ...writtenBy(
        ['ViolationRecorded'],
        [
          'id',
          'violationId',
          'employeeId',
          'kind',
          'severity',
          'description',
          'evidence',
          'evidence[].kind',
          'evidence[].reference',
          'evidence[].note',
          'occurredOn',
          'recordedBy',
          'recordedOn',
        ],
      ),
    },
  },
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
  documentation: {
    document: 'DisciplinaryCaseDoc',
    context: 'performance',
    summary: 'One document per disciplinary case: the triggering facts and the outcome.',
    meanings: {
      id: 'The case id.',
      status: '`open` or `closed`.',
      outcome: 'Outcome at closing (no fault, warning, penalty, dismissal).',
      closedOn: 'Business date of closing.',
      decidedBy: 'Manager who closed it.',
      note: 'The closing note.',
      caseId: 'The case id.',
      employeeId: 'The employee concerned.',
      ruleId: 'The policy rule that opened it.',
      policyVersion: 'Version of the discipline policy applied.',
      kind: 'Kind of case the rule opens (investigation, …).',
      triggerKey: 'What the case is about once (rule and window): the same facts never open two cases.',
      triggeringFacts: "The facts that crossed the rule's threshold.",
      'triggeringFacts[].factId': 'Id of the fact (violation or attendance mark).',
      'triggeringFacts[].kind': 'Kind of fact.',
      openedOn:
        "Business date the case arose: the day its rule's threshold was crossed (its latest triggering fact), however late the facts were entered.",
      openedBy: 'User or process that opened it.',
    },
    sources: {
      ...writtenBy(
        ['DisciplinaryCaseOpened'],
        [
          'id',
          'caseId',
          'employeeId',
          'ruleId',
          'policyVersion',
          'kind',
          'triggerKey',
          'triggeringFacts',
          'triggeringFacts[].factId',
          'triggeringFacts[].kind',
          'triggeringFacts[].occurredOn',
          'openedOn',
          'openedBy',
        ],
      ),
      ...writtenBy(['DisciplinaryCaseOpened', 'DisciplinaryCaseClosed'], ['status', 'outcome', 'closedOn', 'decidedBy', 'note']),
    },
  },
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
  documentation: {
    document: 'AppraisalScoreDoc',
    context: 'performance',
    summary:
      'One document per appraisal (employee and period): item-by-item scores, total, revision, review. Serves `GET /api/reports/appraisals` and the scorecard.',
    meanings: {
      id: 'The appraisal id.',
      status: '`scored`, `reviewed` by the manager, or `acknowledged` by the employee.',
      'revisions[].revision': 'Revision number.',
      'revisions[].total': 'Total of that revision.',
      'revisions[].scoredOn': 'Business date it was scored.',
      review: "The manager's review, once reviewed.",
      'review.reviewedBy': 'Manager who reviewed it.',
      'review.reviewedOn': 'Business date of the review.',
      'review.feedback': "The manager's feedback.",
      'review.revision': 'Revision reviewed.',
      rewardGranted: 'The reward granted at the review, if any.',
      'rewardGranted.kind': 'Kind of reward.',
      'rewardGranted.amount': 'Amount, minor units (null: not monetary).',
      'rewardGranted.grantedOn': 'Business date granted.',
      improvementPlanId: 'The improvement plan set at the review, if any.',
      acknowledgement: "The employee's acknowledgement, once given.",
      'acknowledgement.acknowledgedOn': 'Business date acknowledged.',
      'acknowledgement.comment': "The employee's comment.",
      appraisalId: 'The appraisal id (`<employeeId>-<period>`).',
      employeeId: 'The employee appraised.',
      period: 'The period appraised (YYYY-MM, or YYYY for year-end).',
      kind: '`monthly` or `year_end`.',
      schemeVersion: 'Version of the appraisal scheme applied.',
      items: 'Item by item: what was measured and the points it gave.',
      'items[].itemId': 'Item id in the scheme.',
      'items[].writtenStandard': 'The written standard the points follow.',
      'items[].source': 'The measure the item reads.',
      'items[].weight': 'Weight of the item, per cent.',
      'items[].value': 'Measured value (null: not measurable).',
      'changes[].itemId': 'Item whose score changed in this revision.',
      'changes[].source': 'Its measure.',
      'changes[].before': 'Value and points before.',
      'changes[].before.value': 'Value before.',
      'changes[].before.points': 'Points before.',
      'changes[].after': 'Value and points after.',
      'changes[].after.value': 'Value after.',
      'changes[].after.points': 'Points after.',
      'yearEnd.yearAchievementPoints': "Points for the year's target achievement.",
      'yearEnd.monthlyTotals': 'The monthly totals combined.',
      'yearEnd.monthlyTotals[].period': 'Month.',
      'yearEnd.monthlyTotals[].total': "That month's total.",
      'yearEnd.total': 'The year-end total.',
      total: 'Total points (weighted sum of the items).',
      rewardAtOrAbove: 'Threshold of the scheme at or above which the outcome is a reward.',
      improvementPlanBelow: 'Threshold below which the outcome is an improvement plan.',
      'reward.kind': 'Kind of reward the scheme grants.',
      'reward.amount': 'Its amount, minor units (null: not monetary).',
    },
    sources: {
      ...writtenBy(
        ['AppraisalScored'],
        [
          'id',
          'revisions',
          'revisions[].revision',
          'revisions[].total',
          'revisions[].scoredOn',
          'appraisalId',
          'employeeId',
          'period',
          'kind',
          'revision',
          'schemeVersion',
          'schemeName',
          'inputs',
          'items',
          'items[].itemId',
          'items[].name',
          'items[].writtenStandard',
          'items[].source',
          'items[].weight',
          'items[].value',
          'items[].points',
          'items[].weightedPoints',
          'changes',
          'changes[].itemId',
          'changes[].source',
          'changes[].before',
          'changes[].before.value',
          'changes[].before.points',
          'changes[].after',
          'changes[].after.value',
          'changes[].after.points',
          'yearEnd',
          'yearEnd.yearAchievementPoints',
          'yearEnd.monthlyTotals',
          'yearEnd.monthlyTotals[].period',
          'yearEnd.monthlyTotals[].total',
          'yearEnd.monthlyAverage',
          'yearEnd.total',
          'total',
          'outcome',
          'rewardAtOrAbove',
          'improvementPlanBelow',
          'reward',
          'reward.kind',
          'reward.amount',
          'improvementPlanDeadlineDays',
          'scoredOn',
          'asOf',
        ],
      ),
      status: ['AppraisalScored', 'AppraisalReviewed', 'AppraisalAcknowledged'],
      ...writtenBy(['AppraisalScored', 'AppraisalReviewed'], ['review', 'improvementPlanId']),
      ...writtenBy(['AppraisalReviewed'], ['review.reviewedBy', 'review.reviewedOn', 'review.feedback', 'review.revision']),
      rewardGranted: ['AppraisalScored', 'RewardGranted'],
      ...writtenBy(['RewardGranted'], ['rewardGranted.kind', 'rewardGranted.amount', 'rewardGranted.grantedOn']),
      acknowledgement: ['AppraisalScored', 'AppraisalAcknowledged'],
      ...writtenBy(['AppraisalAcknowledged'], ['acknowledgement.acknowledgedOn', 'acknowledgement.comment']),
    },
  },
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
