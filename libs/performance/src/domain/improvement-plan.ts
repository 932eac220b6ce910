/**
 * Improvement plan — stream `improvement-plan-<planId>` (ADR 0309). Set when an appraisal below the scheme's
 * threshold is reviewed (the review names the plan: goals and a deadline); reviewed at or after its deadline as
 * met or not met. `overduePlans` flags plans past their deadline without a review.
 */
import type { BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, daysBetween, notFound, ruleViolation } from '@salesline/shared-kernel';
import { optionalText, requireDate, requireId, requireText } from './guards';
import { assertIsManagerOf, assertMayRunPerformanceProcess } from './performance-policy';

export const improvementPlanStreamName = (planId: string): string => `improvement-plan-${planId}`;
const MAX_GOALS = 20;

export type ImprovementGoal = Readonly<{ description: string; measure: string | null; target: string | null }>;
export type ImprovementPlanContent = Readonly<{ planId: string; goals: readonly ImprovementGoal[]; deadline: BusinessDate }>;
export type ImprovementPlanInput = Readonly<{
  planId: string;
  goals: readonly Readonly<{ description: string; measure?: string | null; target?: string | null }>[];
  deadline: BusinessDate;
}>;

/** Validates a plan as a manager writes it in a review: 1..20 goals each described, a deadline after `today`. */
export const validateImprovementPlan = (input: ImprovementPlanInput, today: BusinessDate): ImprovementPlanContent => {
  const planId = requireId(input?.planId, 'planId', 'InvalidImprovementPlan');
  if (!Array.isArray(input.goals) || input.goals.length === 0 || input.goals.length > MAX_GOALS)
    throw ruleViolation('GoalsRequired', `An improvement plan has 1 to ${MAX_GOALS} goals`);
  const goals = input.goals.map((g) => ({
    description: requireText(g?.description, 'goal.description', 'GoalsRequired', 500),
    measure: optionalText(g.measure, 'goal.measure', 'InvalidImprovementPlan', 200) || null,
    target: optionalText(g.target, 'goal.target', 'InvalidImprovementPlan', 200) || null,
  }));
  const deadline = requireDate(input.deadline, 'deadline', 'InvalidImprovementPlan');
  if (compareDates(deadline, today) <= 0)
    throw ruleViolation('DeadlineMustBeAfterReview', `The deadline must come after ${today}`, { deadline });
  return { planId, goals, deadline };
};

// ── Events ───────────────────────────────────────────────────────────────────
export type ImprovementPlanSet = DomainEvent<
  'ImprovementPlanSet',
  {
    planId: string;
    employeeId: string;
    appraisalId: string;
    period: string;
    goals: ImprovementGoal[];
    deadline: BusinessDate;
    setBy: string;
    setOn: BusinessDate;
  }
>;
export type ImprovementPlanReviewed = DomainEvent<
  'ImprovementPlanReviewed',
  { planId: string; employeeId: string; outcome: 'met' | 'not_met'; reviewedBy: string; note: string; reviewedOn: BusinessDate }
>;
export type ImprovementPlanEvent = ImprovementPlanSet | ImprovementPlanReviewed;

// ── Commands ─────────────────────────────────────────────────────────────────
/** The reviewed appraisal as the application read it: the plan its review named (null if none). */
export type ReviewedAppraisalFact = Readonly<{
  appraisalId: string;
  employeeId: string;
  period: string;
  /** The review's business date: the plan is set on it. */
  reviewedOn: BusinessDate;
  improvementPlan: ImprovementPlanContent | null;
}> | null;
export type SetImprovementPlan = Command<'SetImprovementPlan', { planId: string; appraisal: ReviewedAppraisalFact }>;
/** `reviewedOn`: the business date of the review (default today), at or after the deadline, not in the future. */
export type ReviewImprovementPlan = Command<
  'ReviewImprovementPlan',
  { outcome: 'met' | 'not_met'; note: string; reviewedOn?: BusinessDate }
>;
export type ImprovementPlanCommand = SetImprovementPlan | ReviewImprovementPlan;

// ── State ────────────────────────────────────────────────────────────────────
type PlanBody = Readonly<{
  planId: string;
  employeeId: string;
  appraisalId: string;
  deadline: BusinessDate;
  goals: readonly ImprovementGoal[];
}>;
export type ImprovementPlanState =
  | Readonly<{ status: 'none' }>
  | (PlanBody & { status: 'set' })
  | (PlanBody & { status: 'reviewed'; outcome: 'met' | 'not_met'; reviewedOn: BusinessDate });
export const initialImprovementPlanState = (): ImprovementPlanState => ({ status: 'none' });

// ── Decide ───────────────────────────────────────────────────────────────────
export const decideImprovementPlan = (command: ImprovementPlanCommand, state: ImprovementPlanState): ImprovementPlanEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'SetImprovementPlan': {
      assertMayRunPerformanceProcess(actor);
      const planId = requireId(command.data.planId, 'planId', 'InvalidImprovementPlan');
      const appraisal = command.data.appraisal;
      if (!appraisal) throw notFound('AppraisalNotFound', 'No such appraisal');
      const plan = appraisal.improvementPlan;
      if (!plan || plan.planId !== planId)
        throw ruleViolation('PlanNotSetInReview', `The review of appraisal ${appraisal.appraisalId} did not set plan ${planId}`);
      if (state.status !== 'none') {
        if (state.appraisalId === appraisal.appraisalId) return []; // the same plan again: idempotent
        throw conflict('PlanAlreadySet', `Plan ${planId} belongs to appraisal ${state.appraisalId}`);
      }
      return [
        {
          type: 'ImprovementPlanSet',
          data: {
            planId,
            employeeId: appraisal.employeeId,
            appraisalId: appraisal.appraisalId,
            period: appraisal.period,
            goals: [...plan.goals],
            deadline: plan.deadline,
            setBy: actor.userId,
            setOn: appraisal.reviewedOn,
          },
        },
      ];
    }
    case 'ReviewImprovementPlan': {
      if (state.status === 'none') throw notFound('PlanNotFound', 'No such improvement plan');
      if (state.status === 'reviewed')
        throw conflict('PlanAlreadyReviewed', `The plan was reviewed on ${state.reviewedOn} (${state.outcome})`);
      assertIsManagerOf(actor, state.employeeId, 'CannotReviewOwnPlan', 'review an improvement plan');
      const reviewedOn =
        command.data.reviewedOn === undefined ? today : requireDate(command.data.reviewedOn, 'reviewedOn', 'InvalidImprovementPlan');
      if (compareDates(reviewedOn, today) > 0) throw ruleViolation('InvalidImprovementPlan', 'reviewedOn must not be in the future');
      if (compareDates(reviewedOn, state.deadline) < 0)
        throw ruleViolation('PlanReviewBeforeDeadline', `The plan is reviewed at its deadline (${state.deadline}) or later`, {
          deadline: state.deadline,
        });
      const outcome = command.data.outcome;
      if (outcome !== 'met' && outcome !== 'not_met') throw ruleViolation('InvalidPlanOutcome', 'outcome is met or not_met');
      const note = requireText(command.data.note, 'note', 'NoteRequired');
      return [
        {
          type: 'ImprovementPlanReviewed',
          data: { planId: state.planId, employeeId: state.employeeId, outcome, reviewedBy: actor.userId, note, reviewedOn },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveImprovementPlan = (state: ImprovementPlanState, event: ImprovementPlanEvent): ImprovementPlanState => {
  switch (event.type) {
    case 'ImprovementPlanSet': {
      const { planId, employeeId, appraisalId, deadline, goals } = event.data;
      return { status: 'set', planId, employeeId, appraisalId, deadline, goals };
    }
    case 'ImprovementPlanReviewed':
      return state.status === 'set'
        ? { ...state, status: 'reviewed', outcome: event.data.outcome, reviewedOn: event.data.reviewedOn }
        : state;
    default:
      return assertNever(event);
  }
};

export const improvementPlanDecider: Decider<ImprovementPlanState, ImprovementPlanCommand, ImprovementPlanEvent> = {
  decide: decideImprovementPlan,
  evolve: evolveImprovementPlan,
  initialState: initialImprovementPlanState,
};

// ── Queries ──────────────────────────────────────────────────────────────────
export type OverduePlan = Readonly<{ planId: string; employeeId: string; deadline: BusinessDate; daysOverdue: number }>;

/** Plans past their deadline (deadline before `today`) without a review, most overdue first. */
export const overduePlans = (plans: readonly ImprovementPlanState[], today: BusinessDate): OverduePlan[] =>
  plans
    .flatMap((p) =>
      p.status === 'set' && compareDates(p.deadline, today) < 0
        ? [{ planId: p.planId, employeeId: p.employeeId, deadline: p.deadline, daysOverdue: daysBetween(p.deadline, today) }]
        : [],
    )
    .sort((a, b) => b.daysOverdue - a.daysOverdue || (a.planId < b.planId ? -1 : 1));
