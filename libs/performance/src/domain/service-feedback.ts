/**
 * After-sales service feedback — stream `service-feedback-<employeeId>` (ADR 0301): what customers said about the
 * service of the salesperson responsible for them, scored 1..5. Read per salesperson by the appraisal.
 */
import type { BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, forbidden, hasAnyRole, notFound, ruleViolation, appended } from '@salesline/shared-kernel';
import { EmployeeFact, optionalText, requireId, requireInteger, requirePastDate } from './guards';
import { isSelf } from './performance-policy';

export const serviceFeedbackStreamName = (employeeId: string): string => `service-feedback-${employeeId}`;
export const FEEDBACK_SCORE_MIN = 1;
export const FEEDBACK_SCORE_MAX = 5;

// ── Events ───────────────────────────────────────────────────────────────────
export type ServiceFeedbackRecorded = DomainEvent<
  'ServiceFeedbackRecorded',
  {
    feedbackId: string;
    customerId: string;
    employeeId: string;
    score: number;
    comment: string;
    receivedOn: BusinessDate;
    recordedBy: string;
  }
>;
export type ServiceFeedbackEvent = ServiceFeedbackRecorded;

// ── Commands ─────────────────────────────────────────────────────────────────
export type RecordServiceFeedback = Command<
  'RecordServiceFeedback',
  {
    feedbackId: string;
    customerId: string;
    employeeId: string;
    score: number;
    comment?: string;
    receivedOn: BusinessDate;
    employee: EmployeeFact;
  }
>;
export type ServiceFeedbackCommand = RecordServiceFeedback;

// ── State ────────────────────────────────────────────────────────────────────
export type ServiceFeedbackState =
  | Readonly<{ status: 'empty' }>
  | Readonly<{ status: 'collecting'; employeeId: string; feedbackIds: readonly string[]; count: number; scoreSum: number }>;
export const initialServiceFeedbackState = (): ServiceFeedbackState => ({ status: 'empty' });

// ── Decide ───────────────────────────────────────────────────────────────────
export const decideServiceFeedback = (command: ServiceFeedbackCommand, state: ServiceFeedbackState): ServiceFeedbackEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'RecordServiceFeedback': {
      const d = command.data;
      if (!hasAnyRole(actor, 'sales_manager', 'admin_department', 'integration'))
        throw forbidden(
          'NotAllowedToRecordFeedback',
          'Service feedback is recorded by after-sales (administrative department), a sales manager or the integration account',
        );
      const employeeId = requireId(d.employeeId, 'employeeId', 'InvalidServiceFeedback');
      if (isSelf(actor, employeeId)) throw forbidden('CannotRecordOwnConduct', 'Nobody records feedback about their own service');
      const feedbackId = requireId(d.feedbackId, 'feedbackId', 'InvalidServiceFeedback');
      const customerId = requireId(d.customerId, 'customerId', 'InvalidServiceFeedback');
      const score = requireInteger(d.score, 'score', 'InvalidFeedbackScore', FEEDBACK_SCORE_MIN, FEEDBACK_SCORE_MAX);
      const comment = optionalText(d.comment, 'comment', 'InvalidServiceFeedback');
      const receivedOn = requirePastDate(d.receivedOn, 'receivedOn', 'InvalidServiceFeedback', 'FeedbackDatedInFuture', today);
      if (!d.employee || d.employee.employeeId !== employeeId) throw notFound('EmployeeNotFound', `No salesperson ${employeeId}`);
      // Feedback may arrive after the salesperson left (it is about service they gave), never before they were hired.
      if (compareDates(receivedOn, d.employee.hiredOn) < 0)
        throw ruleViolation('FeedbackBeforeEmployment', `${employeeId} was hired on ${d.employee.hiredOn}`, { receivedOn });
      if (state.status === 'collecting' && state.feedbackIds.includes(feedbackId))
        throw conflict('FeedbackAlreadyRecorded', `Feedback ${feedbackId} is already recorded`);
      return [
        {
          type: 'ServiceFeedbackRecorded',
          data: { feedbackId, customerId, employeeId, score, comment, receivedOn, recordedBy: actor.userId },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveServiceFeedback = (state: ServiceFeedbackState, event: ServiceFeedbackEvent): ServiceFeedbackState => {
  switch (event.type) {
    case 'ServiceFeedbackRecorded': {
      const before = state.status === 'collecting' ? state : { feedbackIds: [], count: 0, scoreSum: 0 };
      return {
        status: 'collecting',
        employeeId: event.data.employeeId,
        feedbackIds: appended(before.feedbackIds, event.data.feedbackId),
        count: before.count + 1,
        scoreSum: before.scoreSum + event.data.score,
      };
    }
    default:
      return assertNever(event.type);
  }
};

export const serviceFeedbackDecider: Decider<ServiceFeedbackState, ServiceFeedbackCommand, ServiceFeedbackEvent> = {
  decide: decideServiceFeedback,
  evolve: evolveServiceFeedback,
  initialState: initialServiceFeedbackState,
};
