import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { sampleScheme } from '../testing/fixtures';
import { AcknowledgeAppraisal, AppraisalEvent, AppraisalScored, ReviewAppraisal } from './appraisal';
import { ScoreAppraisal, appraisalDecider, appraisalStreamName } from './appraisal';
import { AppraisalInputs } from './appraisal-scoring';

const spec = deciderSpec(appraisalDecider);
type Ctx = { userId?: string; roles?: Role[]; today?: string };
const employee = { employeeId: 'sp-1', hiredOn: '2024-06-01', leftOn: null };
const INPUTS: AppraisalInputs = {
  target_achievement: 10000,
  gross_margin_achievement: 9000,
  cash_collection: 9500,
  visits_vs_plan: 8000,
  service_feedback: 450,
  retention: 3000,
  attendance: 10000,
  discipline: 1,
}; // → 74 points (see scoreAppraisal spec)
/** Above target on everything but visits (80 %): 98 points, a reward. */
const HIGH_INPUTS: AppraisalInputs = {
  ...INPUTS,
  target_achievement: 12000,
  gross_margin_achievement: 10000,
  discipline: 0,
  retention: 6000,
  service_feedback: 500,
};
const score = (data: Partial<ScoreAppraisal['data']> = {}, ctx: Ctx = {}) =>
  commandOf<ScoreAppraisal>(
    'ScoreAppraisal',
    { employeeId: 'sp-1', period: '2025-03', kind: 'monthly', scheme: sampleScheme(), employee, inputs: INPUTS, ...data },
    { userId: 'system', roles: ['integration'], today: '2025-04-02', ...ctx },
  );
const review = (data: Partial<ReviewAppraisal['data']> = {}, ctx: Ctx = {}) =>
  commandOf<ReviewAppraisal>(
    'ReviewAppraisal',
    { feedback: 'Solid month; more visits please', ...data },
    { userId: 'm-1', roles: ['sales_manager'], today: '2025-04-05', ...ctx },
  );
const acknowledge = (ctx: Ctx = {}) =>
  commandOf<AcknowledgeAppraisal>(
    'AcknowledgeAppraisal',
    { comment: 'Agreed' },
    { userId: 'sp-1', roles: ['salesperson'], today: '2025-04-06', ...ctx },
  );
const scoredWith = (inputs: AppraisalInputs = INPUTS, extra: Partial<ScoreAppraisal['data']> = {}, today = '2025-04-02') =>
  spec
    .given()
    .when(score({ inputs, ...extra }, { today }))
    .events()[0] as AppraisalScored;
const plan = { planId: 'ip-1', goals: [{ description: 'Visit 20 customers', measure: 'visits', target: '20' }], deadline: '2025-06-30' };

describe('Appraisal decider — scoring', () => {
  it('scores a closed month with every input, item and the outcome, as of the period end', () => {
    const event = scoredWith();
    expect(appraisalStreamName('sp-1', '2025-03')).toBe('appraisal-sp-1-2025-03');
    expect(event.data).toMatchObject({
      appraisalId: 'sp-1-2025-03',
      employeeId: 'sp-1',
      period: '2025-03',
      kind: 'monthly',
      revision: 1,
      schemeVersion: 1,
      inputs: INPUTS,
      yearEnd: null,
      total: 74,
      outcome: 'none',
      rewardAtOrAbove: 85,
      improvementPlanBelow: 50,
      reward: { kind: 'bonus', amount: 50_000 },
      scoredOn: '2025-04-02',
      asOf: '2025-03-31',
    });
    expect(event.data.items.reduce((s, i) => s + (i.weightedPoints ?? 0), 0)).toBe(7370);
  });
  it('re-running with the same history gives the same score and no event', () => {
    spec
      .given(scoredWith())
      .when(score({}, { today: '2025-09-01' }))
      .then([]);
  });
  it('a back-dated fact into the closed period adds a revision while unreviewed', () => {
    const changed = spec
      .given(scoredWith())
      .when(score({ inputs: { ...INPUTS, discipline: 0 } }))
      .events();
    expect(changed[0].data).toMatchObject({ revision: 2, total: 77 });
    expect((changed[0].data as { changes?: unknown }).changes).toEqual([
      { itemId: 'discipline', source: 'discipline', before: { value: 1, points: 40 }, after: { value: 0, points: 100 } },
    ]);
  });
  it('once reviewed, the score is final: a changed re-run is refused, an unchanged one is a no-op', () => {
    const reviewed = spec.given(scoredWith()).when(review()).events();
    spec
      .given(scoredWith(), ...reviewed)
      .when(score())
      .then([]);
    const error = spec
      .given(scoredWith(), ...reviewed)
      .when(score({ inputs: { ...INPUTS, discipline: 0 } }))
      .thenThrows('AppraisalAlreadyReviewed', 'conflict');
    // The refusal names the item-level difference, not only the two totals.
    expect(error.details).toEqual({
      scoredTotal: 74,
      rerunTotal: 77,
      changes: [{ itemId: 'discipline', source: 'discipline', before: { value: 1, points: 40 }, after: { value: 0, points: 100 } }],
    });
  });
  it('names the outcome: reward at or above the threshold, improvement plan below the other', () => {
    expect(scoredWith(HIGH_INPUTS).data).toMatchObject({
      total: 98, // visits at 80 % keep 2 points off
      outcome: 'reward',
    });
    expect(
      scoredWith({ ...INPUTS, target_achievement: 5000, gross_margin_achievement: 0, cash_collection: 0, discipline: 3 }).data,
    ).toMatchObject({ outcome: 'improvement_plan' });
  });
  it('is scored on the business date given: after the period, never in the future', () => {
    // given March appraised on 20 May, dated as scored on 2 April
    expect(
      spec
        .given()
        .when(score({ scoredOn: '2025-04-02' }, { today: '2025-05-20' }))
        .events()[0].data,
    ).toMatchObject({
      scoredOn: '2025-04-02',
      asOf: '2025-03-31',
    });
  });
  const { discipline: _d, ...missing } = INPUTS;
  const nothing = Object.fromEntries(Object.keys(INPUTS).map((k) => [k, null]));
  it.each([
    // scored on a business date after the period, never in the future
    ['PeriodNotClosed', 'rule', score({ scoredOn: '2025-03-31' }, { today: '2025-05-20' })],
    ['InvalidAppraisal', 'rule', score({ scoredOn: '2025-05-21' }, { today: '2025-05-20' })],
    // an open period, a bad period or kind, no scheme, a scheme not yet in effect
    ['PeriodNotClosed', 'rule', score({}, { today: '2025-03-31' })],
    ['InvalidAppraisalPeriod', 'rule', score({ period: '2025-13' })],
    ['InvalidAppraisalPeriod', 'rule', score({ period: '2025' })],
    ['InvalidAppraisalPeriod', 'rule', score({ kind: 'weekly' as never })],
    ['SchemeNotFound', 'not_found', score({ scheme: null })],
    ['SchemeNotInEffect', 'rule', score({ scheme: sampleScheme({ effectiveFrom: '2025-04-01' }) })],
    // an unknown employee or one not employed in the period
    ['EmployeeNotFound', 'not_found', score({ employee: null })],
    ['NotEmployedInPeriod', 'rule', score({ employee: { ...employee, hiredOn: '2025-04-01' } })],
    ['NotEmployedInPeriod', 'rule', score({ employee: { ...employee, leftOn: '2025-02-28' } })],
    // a value (or null) for every source and integers only; something must be measurable
    ['AppraisalInputMissing', 'rule', score({ inputs: missing })],
    ['InvalidAppraisalInput', 'rule', score({ inputs: { ...INPUTS, retention: 33.3 } })],
    ['NothingToAppraise', 'rule', score({ inputs: nothing })],
    // only the process roles run it
    ['NotAllowedToRunPerformanceProcess', 'forbidden', score({}, { roles: ['salesperson'] })],
  ] as const)('refuses %s (%s)', (code, kind, command) => {
    spec.given().when(command).thenThrows(code, kind);
  });
});
describe('Appraisal decider — year-end', () => {
  const yearEnd = (yearAchievementBp: number | null, totals: number[]) =>
    score(
      {
        period: '2025',
        kind: 'year_end',
        inputs: undefined,
        yearEnd: {
          yearAchievementBp,
          monthlyTotals: totals.map((total, i) => ({ period: `2025-${String(i + 1).padStart(2, '0')}`, total })),
        },
      },
      { today: '2026-01-05' },
    );
  it('weighs the year’s target achievement (scored by the target item’s standard) and the monthly results', () => {
    const [event] = spec
      .given()
      .when(yearEnd(10000, [70, 75, 76]))
      .events() as AppraisalScored[];
    // year achievement 100 % → 71 points; (71 × 6000 × 3 + 221 × 4000) / 30000 = 72.07 → 72
    expect(event.data).toMatchObject({
      appraisalId: 'sp-1-2025',
      kind: 'year_end',
      inputs: { target_achievement: 10000 },
      items: [{ itemId: 'target', value: 10000, points: 71, weightedPoints: 2840 }],
      yearEnd: { yearAchievementPoints: 71, monthlyAverage: 74, total: 72 },
      total: 72,
      asOf: '2025-12-31',
    });
  });
  it('validates the monthly totals and needs the year-end inputs', () => {
    spec
      .given()
      .when(score({ period: '2025', kind: 'year_end', inputs: undefined }, { today: '2026-01-05' }))
      .thenThrows('AppraisalInputMissing', 'rule');
    const bad = score(
      { period: '2025', kind: 'year_end', yearEnd: { yearAchievementBp: 9000, monthlyTotals: [{ period: '2024-12', total: 50 }] } },
      { today: '2026-01-05' },
    );
    spec.given().when(bad).thenThrows('InvalidAppraisalInput', 'rule');
    spec
      .given()
      .when(yearEnd(9000, [101]))
      .thenThrows('InvalidAppraisalInput', 'rule');
    spec.given().when(yearEnd(null, [])).thenThrows('NothingToAppraise', 'rule');
  });
});

describe('Appraisal decider — review and acknowledgement', () => {
  const scored = scoredWith();
  it('a manager reviews with feedback', () => {
    spec
      .given(scored)
      .when(review())
      .then([
        {
          type: 'AppraisalReviewed',
          data: {
            appraisalId: 'sp-1-2025-03',
            employeeId: 'sp-1',
            period: '2025-03',
            revision: 1,
            total: 74,
            reviewedBy: 'm-1',
            feedback: 'Solid month; more visits please',
            reviewedOn: '2025-04-05',
            improvementPlan: null,
          },
        },
      ]);
  });
  it('a total at or above the reward threshold grants the scheme’s reward with the review', () => {
    const high = scoredWith(HIGH_INPUTS);
    const events = spec.given(high).when(review()).events();
    expect(events.map((e) => e.type)).toEqual(['AppraisalReviewed', 'RewardGranted']);
    expect(events[1].data).toEqual({
      appraisalId: 'sp-1-2025-03',
      employeeId: 'sp-1',
      period: '2025-03',
      kind: 'bonus',
      amount: 50_000,
      reason: '98 points in 2025-03 reached the reward threshold',
      grantedBy: 'm-1',
      grantedOn: '2025-04-05',
    });
  });
  it('below the plan threshold the review must set an improvement plan with goals and a deadline', () => {
    const low = scoredWith({ ...INPUTS, target_achievement: 5000, gross_margin_achievement: 0, cash_collection: 0, discipline: 3 });
    spec.given(low).when(review()).thenThrows('ImprovementPlanRequired', 'rule');
    const [event] = spec
      .given(low)
      .when(review({ improvementPlan: plan }))
      .events();
    expect(event.data).toMatchObject({
      improvementPlan: {
        planId: 'ip-1',
        goals: [{ description: 'Visit 20 customers', measure: 'visits', target: '20' }],
        deadline: '2025-06-30',
      },
    });
    spec
      .given(low)
      .when(review({ improvementPlan: { ...plan, goals: [] } }))
      .thenThrows('GoalsRequired', 'rule');
    spec
      .given(low)
      .when(review({ improvementPlan: { ...plan, deadline: '2025-04-05' } }))
      .thenThrows('DeadlineMustBeAfterReview', 'rule');
  });
  it('the scheme’s plan deadline (days after the review) applies when the review gives none (ADR 0313)', () => {
    const lowInputs = { ...INPUTS, target_achievement: 5000, gross_margin_achievement: 0, cash_collection: 0, discipline: 3 };
    const { deadline: _d, ...undated } = plan;
    spec
      .given(scoredWith(lowInputs))
      .when(review({ improvementPlan: undated }))
      .thenThrows('DeadlineRequired', 'rule');
    const low = scoredWith(lowInputs, { scheme: sampleScheme({ improvementPlanDeadlineDays: 60 }) });
    expect(low.data.improvementPlanDeadlineDays).toBe(60);
    const [event] = spec
      .given(low)
      .when(review({ improvementPlan: undated }))
      .events();
    expect(event.data).toMatchObject({ reviewedOn: '2025-04-05', improvementPlan: { deadline: '2025-06-04' } });
    // A deadline the reviewer gives takes precedence.
    expect(
      spec
        .given(low)
        .when(review({ improvementPlan: plan }))
        .events()[0].data,
    ).toMatchObject({ improvementPlan: { deadline: '2025-06-30' } });
  });
  it('an improvement plan is not set for a total at or above the threshold', () => {
    spec
      .given(scored)
      .when(review({ improvementPlan: plan }))
      .thenThrows('ImprovementPlanNotWarranted', 'rule');
  });
  it.each([
    ['ManagerRequired', 'forbidden', review({}, { roles: ['salesperson'], userId: 'sp-2' })],
    ['CannotReviewOwnAppraisal', 'forbidden', review({}, { userId: 'sp-1' })],
    ['FeedbackRequired', 'rule', review({ feedback: ' ' })],
  ] as const)('only a manager, not the employee, reviews, with feedback: %s (%s)', (code, kind, command) => {
    spec.given(scored).when(command).thenThrows(code, kind);
  });
  it('reviews once, after scoring', () => {
    spec.given().when(review()).thenThrows('AppraisalNotScored', 'not_found');
    const reviewed = spec.given(scored).when(review()).events();
    spec
      .given(scored, ...reviewed)
      .when(review())
      .thenThrows('AppraisalAlreadyReviewed', 'conflict');
  });
  it('the acknowledgement carries its business date: from the review on, never in the future', () => {
    const reviewed = spec
      .given(scored)
      .when(review({ reviewedOn: '2025-04-03' }, { today: '2025-05-20' }))
      .events();
    const acknowledgeOn = (acknowledgedOn: string) =>
      commandOf<AcknowledgeAppraisal>(
        'AcknowledgeAppraisal',
        { acknowledgedOn },
        { userId: 'sp-1', roles: ['salesperson'], today: '2025-05-20' },
      );
    expect(
      spec
        .given(scored, ...reviewed)
        .when(acknowledgeOn('2025-04-04'))
        .events()[0].data,
    ).toMatchObject({ acknowledgedOn: '2025-04-04' });
    spec
      .given(scored, ...reviewed)
      .when(acknowledgeOn('2025-04-02'))
      .thenThrows('AcknowledgedBeforeReview', 'rule');
    spec
      .given(scored, ...reviewed)
      .when(acknowledgeOn('2025-05-21'))
      .thenThrows('InvalidAcknowledgement', 'rule');
  });
  it('the employee acknowledges after the review, once', () => {
    const reviewed = spec.given(scored).when(review()).events();
    const state = spec
      .given(scored, ...reviewed)
      .when(acknowledge())
      .then([
        {
          type: 'AppraisalAcknowledged',
          data: { appraisalId: 'sp-1-2025-03', employeeId: 'sp-1', comment: 'Agreed', acknowledgedOn: '2025-04-06' },
        },
      ]);
    expect(state.status).toBe('acknowledged');
    spec.given(scored).when(acknowledge()).thenThrows('AppraisalNotReviewed', 'conflict');
    spec
      .given(scored, ...reviewed)
      .when(acknowledge({ userId: 'm-1', roles: ['sales_manager'] }))
      .thenThrows('NotOwnAppraisal', 'forbidden');
    const acknowledged = spec
      .given(scored, ...reviewed)
      .when(acknowledge())
      .events() as AppraisalEvent[];
    spec
      .given(scored, ...reviewed, ...acknowledged)
      .when(acknowledge())
      .thenThrows('AppraisalAlreadyAcknowledged', 'conflict');
    spec
      .given(scored, ...reviewed, ...acknowledged)
      .when(score())
      .then([]);
  });
});
