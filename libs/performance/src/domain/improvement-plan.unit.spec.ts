import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { ImprovementPlanEvent, ImprovementPlanState, ReviewImprovementPlan, ReviewedAppraisalFact } from './improvement-plan';
import { SetImprovementPlan, improvementPlanDecider, overduePlans } from './improvement-plan';

const spec = deciderSpec(improvementPlanDecider);
type Ctx = { userId?: string; roles?: Role[]; today?: string };
const goals = [{ description: 'Visit 20 customers', measure: 'visits', target: '20' }];
const appraisal: ReviewedAppraisalFact = {
  appraisalId: 'sp-1-2025-03',
  employeeId: 'sp-1',
  period: '2025-03',
  reviewedOn: '2025-04-03',
  improvementPlan: { planId: 'ip-1', goals, deadline: '2025-06-30' },
};
const setPlan = (data: Partial<SetImprovementPlan['data']> = {}, ctx: Ctx = {}) =>
  commandOf<SetImprovementPlan>(
    'SetImprovementPlan',
    { planId: 'ip-1', appraisal, ...data },
    { userId: 'system', roles: ['integration'], today: '2025-04-05', ...ctx },
  );
const reviewPlan = (data: Partial<ReviewImprovementPlan['data']> = {}, ctx: Ctx = {}) =>
  commandOf<ReviewImprovementPlan>(
    'ReviewImprovementPlan',
    { outcome: 'met', note: 'All goals reached', ...data },
    { userId: 'm-1', roles: ['sales_manager'], today: '2025-06-30', ...ctx },
  );
const set: ImprovementPlanEvent = {
  type: 'ImprovementPlanSet',
  data: {
    planId: 'ip-1',
    employeeId: 'sp-1',
    appraisalId: 'sp-1-2025-03',
    period: '2025-03',
    goals,
    deadline: '2025-06-30',
    setBy: 'system',
    setOn: '2025-04-03', // the review's business date, whenever the follow-up runs
  },
};

describe('Improvement plan decider', () => {
  it('is set as the appraisal review named it, on the review’s business date', () => {
    expect(spec.given().when(setPlan()).then([set])).toMatchObject({ status: 'set', deadline: '2025-06-30' });
  });
  it('setting it again is a no-op; another appraisal on the same plan is a conflict', () => {
    spec.given(set).when(setPlan()).then([]);
    spec
      .given(set)
      .when(setPlan({ appraisal: { ...appraisal!, appraisalId: 'sp-1-2025-04' } }))
      .thenThrows('PlanAlreadySet', 'conflict');
  });
  it.each([
    // it must be the plan the review set, by the process roles
    ['PlanNotSetInReview', 'rule', setPlan({ planId: 'ip-2' })],
    ['PlanNotSetInReview', 'rule', setPlan({ appraisal: { ...appraisal!, improvementPlan: null } })],
    ['AppraisalNotFound', 'not_found', setPlan({ appraisal: null })],
    ['NotAllowedToRunPerformanceProcess', 'forbidden', setPlan({}, { roles: ['salesperson'] })],
  ] as const)('setting refuses %s (%s)', (code, kind, command) => {
    spec.given().when(command).thenThrows(code, kind);
  });
  it('is reviewed at or after its deadline as met or not met', () => {
    spec
      .given(set)
      .when(reviewPlan())
      .then([
        {
          type: 'ImprovementPlanReviewed',
          data: {
            planId: 'ip-1',
            employeeId: 'sp-1',
            outcome: 'met',
            reviewedBy: 'm-1',
            note: 'All goals reached',
            reviewedOn: '2025-06-30',
          },
        },
      ]);
    expect(
      spec
        .given(set)
        .when(reviewPlan({ outcome: 'not_met' }, { today: '2025-07-15' }))
        .events()[0].data,
    ).toMatchObject({ outcome: 'not_met', reviewedOn: '2025-07-15' });
  });
  it.each([
    // not before the deadline, with a note and a known outcome, by a manager other than the employee
    ['PlanReviewBeforeDeadline', 'rule', reviewPlan({}, { today: '2025-06-29' })],
    ['NoteRequired', 'rule', reviewPlan({ note: '' })],
    ['InvalidPlanOutcome', 'rule', reviewPlan({ outcome: 'partly' as never })],
    ['CannotReviewOwnPlan', 'forbidden', reviewPlan({}, { userId: 'sp-1' })],
    ['ManagerRequired', 'forbidden', reviewPlan({}, { roles: ['admin_department'] })],
  ] as const)('the review refuses %s (%s)', (code, kind, command) => {
    spec.given(set).when(command).thenThrows(code, kind);
  });
  it('is reviewed once, a plan that was set', () => {
    const reviewed = spec.given(set).when(reviewPlan()).events();
    spec
      .given(set, ...reviewed)
      .when(reviewPlan())
      .thenThrows('PlanAlreadyReviewed', 'conflict');
    spec.given().when(reviewPlan()).thenThrows('PlanNotFound', 'not_found');
  });
});

describe('overduePlans', () => {
  const plan = (planId: string, deadline: string, status: 'set' | 'reviewed' = 'set'): ImprovementPlanState =>
    status === 'set'
      ? { status, planId, employeeId: 'sp-1', appraisalId: 'a', deadline, goals }
      : { status, planId, employeeId: 'sp-1', appraisalId: 'a', deadline, goals, outcome: 'met', reviewedOn: deadline };
  it('flags plans past their deadline without a review, most overdue first', () => {
    expect(
      overduePlans(
        [
          plan('p-1', '2025-06-30'),
          plan('p-2', '2025-07-01'),
          plan('p-3', '2025-05-31'),
          plan('p-4', '2025-05-01', 'reviewed'),
          { status: 'none' },
        ],
        '2025-07-01',
      ),
    ).toEqual([
      { planId: 'p-3', employeeId: 'sp-1', deadline: '2025-05-31', daysOverdue: 31 },
      { planId: 'p-1', employeeId: 'sp-1', deadline: '2025-06-30', daysOverdue: 1 },
    ]);
  });
});
