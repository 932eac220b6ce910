import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { SAMPLE_ITEMS, bandStandard, linearStandard } from '../testing/fixtures';
import { DefineAppraisalScheme, appraisalSchemeDecider, describeScheme } from './appraisal-scheme';
import { Standard, describeStandard, scoreAppraisal, scoreItem, scoreYearEnd } from './appraisal-scoring';
import { versionInEffect } from './versions';

const data = (patch: Partial<DefineAppraisalScheme['data']> = {}): DefineAppraisalScheme['data'] => ({
  effectiveFrom: '2025-01-01',
  items: SAMPLE_ITEMS,
  rewardAtOrAbove: 85,
  improvementPlanBelow: 50,
  reward: { kind: 'bonus', amount: 50_000 },
  yearEnd: { yearAchievementWeightBp: 6000, monthlyAverageWeightBp: 4000 },
  ...patch,
});
const define = (patch: Partial<DefineAppraisalScheme['data']> = {}, today = '2025-01-10', roles: Role[] = ['sales_manager']) =>
  commandOf<DefineAppraisalScheme>('DefineAppraisalScheme', data(patch), { userId: 'm-1', roles, today });
const spec = deciderSpec(appraisalSchemeDecider);
const v1 = () => spec.given().when(define()).events();

describe('Appraisal scheme decider', () => {
  it('defines version 1 with each item’s standard in words', () => {
    const [event] = v1();
    expect(event.data).toMatchObject({
      version: 1,
      effectiveFrom: '2025-01-01',
      rewardAtOrAbove: 85,
      improvementPlanBelow: 50,
      definedBy: 'm-1',
    });
    expect(event.data.items.map((i) => i.standardText)).toEqual([
      'from 50.00 % (0 points) to 120.00 % (100 points) in proportion, rounded half up to whole points; 0 points below 50.00 % and 100 points above 120.00 %',
      'at least 100.00 %: 100 points; at least 80.00 %: 60 points; below 80.00 %: 0 points',
      'at least 90.00 %: 100 points; at least 70.00 %: 50 points; below 70.00 %: 0 points',
      'from 0.00 % (0 points) to 100.00 % (100 points) in proportion, rounded half up to whole points; 0 points below 0.00 % and 100 points above 100.00 %',
      'from an average score of 1.00 (0 points) to an average score of 5.00 (100 points) in proportion, rounded half up to whole points; 0 points below an average score of 1.00 and 100 points above an average score of 5.00',
      'at least 50.00 %: 100 points; at least 25.00 %: 50 points; below 25.00 %: 0 points',
      'at least 100.00 %: 100 points; at least 80.00 %: 50 points; below 80.00 %: 0 points',
      '0: 100 points; 1: 40 points; 2 or more: 0 points',
    ]);
    expect(event.data.items[1].standard).toEqual({
      kind: 'bands',
      bands: [
        { atLeast: 8000, points: 60 },
        { atLeast: 10000, points: 100 },
      ],
    });
  });
  it('versions: later effective dates only; the first may be dated back (ADR 0311)', () => {
    const [first] = v1();
    expect(
      spec
        .given(first)
        .when(define({ effectiveFrom: '2025-02-01' }))
        .events()[0].data.version,
    ).toBe(2);
    spec
      .given(first)
      .when(define({ effectiveFrom: '2025-01-01' }))
      .thenThrows('SchemeEffectiveDateNotAfterPrevious', 'conflict');
    expect(
      spec
        .given()
        .when(define({ effectiveFrom: '2024-12-31' }))
        .events()[0].data,
    ).toMatchObject({ version: 1, effectiveFrom: '2024-12-31' });
  });
  const withWeight = (weight: number) => SAMPLE_ITEMS.map((i) => (i.itemId === 'target' ? { ...i, weight } : i));
  const noTarget = SAMPLE_ITEMS.filter((i) => i.itemId !== 'target').map((i) => (i.itemId === 'margin' ? { ...i, weight: 55 } : i));
  it.each([
    // weights must sum to 100
    ['WeightsMustSumTo100', 'rule', define({ items: withWeight(39) })],
    ['InvalidSchemeItem', 'rule', define({ items: withWeight(0) })],
    // items: required, unique ids and sources, known sources
    ['SchemeItemsRequired', 'rule', define({ items: [] })],
    ['DuplicateSchemeItem', 'rule', define({ items: [...SAMPLE_ITEMS, SAMPLE_ITEMS[0]] })],
    ['DuplicateSchemeSource', 'rule', define({ items: [...SAMPLE_ITEMS, { ...SAMPLE_ITEMS[0], itemId: 'again' }] })],
    ['InvalidSchemeItem', 'rule', define({ items: [{ ...SAMPLE_ITEMS[0], source: 'charm' as never, weight: 100 }] })],
    // outcome thresholds, reward and year-end weights
    ['InvalidOutcomeThresholds', 'rule', define({ improvementPlanBelow: 90 })],
    ['InvalidOutcomeThresholds', 'rule', define({ rewardAtOrAbove: 101 })],
    ['InvalidReward', 'rule', define({ reward: { kind: '', amount: null } })],
    ['InvalidReward', 'rule', define({ reward: { kind: 'bonus', amount: -1 } })],
    ['InvalidYearEndWeights', 'rule', define({ yearEnd: { yearAchievementWeightBp: 6000, monthlyAverageWeightBp: 3000 } })],
    ['InvalidYearEndWeights', 'rule', define({ items: noTarget })],
    // only managers or the administrative department define it
    ['NotAllowedToConfigurePerformance', 'forbidden', define({}, '2025-01-10', ['salesperson'])],
  ] as const)('refuses %s (%s)', (code, kind, command) => {
    spec.given().when(command).thenThrows(code, kind);
  });
  it('standards: valid bands and lines only', () => {
    const withStandard = (standard: unknown) => define({ items: [{ ...SAMPLE_ITEMS[0], weight: 100, standard: standard as Standard }] });
    for (const bad of [
      { kind: 'bands', bands: [] },
      { kind: 'bands', bands: [{ atLeast: 1, points: 101 }] },
      { kind: 'bands', bands: [{ atLeast: 1.5, points: 10 }] },
      {
        kind: 'bands',
        bands: [
          { atLeast: 1, points: 10 },
          { atLeast: 1, points: 20 },
        ],
      },
      { kind: 'linear', from: 10, to: 10, pointsAtFrom: 0, pointsAtTo: 100, capped: true },
      { kind: 'linear', from: 0, to: 10, pointsAtFrom: -1, pointsAtTo: 100, capped: true },
      { kind: 'linear', from: 0, to: 10, pointsAtFrom: 0, pointsAtTo: 100 },
      { kind: 'curve' },
    ])
      spec.given().when(withStandard(bad)).thenThrows('InvalidStandard', 'rule');
  });
  it('year-end weights may leave out the year’s achievement when no item measures the target', () => {
    expect(
      spec
        .given()
        .when(define({ items: noTarget, yearEnd: { yearAchievementWeightBp: 0, monthlyAverageWeightBp: 10000 } }))
        .events(),
    ).toHaveLength(1);
  });
  it('picks the version in effect on a period end and describes it', () => {
    const [first] = v1();
    const second = spec
      .given(first)
      .when(define({ effectiveFrom: '2025-03-01' }, '2025-02-10'))
      .events()[0];
    const state = spec.given(first, second).state();
    const versions = state.status === 'defined' ? state.versions : [];
    expect(versionInEffect(versions, '2025-02-28')?.version).toBe(1);
    expect(versionInEffect(versions, '2025-03-31')?.version).toBe(2);
    expect(versionInEffect(versions, '2024-12-31')).toBeNull();
    const lines = describeScheme(versions[0]);
    expect(lines[0]).toBe(`Target achievement (40 of 100): ${first.data.items[0].measureText}; ${first.data.items[0].standardText}`);
    expect(lines.slice(-2)).toEqual([
      'A total of 85 points or more earns bonus of 500.00, granted at the review; below 50 points the review sets an improvement plan with a deadline the reviewer chooses.',
      "Year-end: the year's target achievement weighs 60.00 %, the average of the monthly totals 40.00 %.",
    ]);
  });
});

describe('scoreItem', () => {
  const bands = bandStandard([8000, 60], [10000, 100]);
  it('bands: the highest band reached gives the points; below the lowest, 0', () => {
    expect([7999, 8000, 9999, 10000, 15000].map((v) => scoreItem(bands, v))).toEqual([0, 60, 60, 100, 100]);
  });
  it('bands where fewer is better (discipline counts)', () => {
    const discipline = bandStandard([0, 100], [1, 40], [2, 0]);
    expect([0, 1, 2, 7].map((v) => scoreItem(discipline, v))).toEqual([100, 40, 0, 0]);
  });
  it('linear, capped: in proportion between the ends, held at the ends, rounded half away from zero', () => {
    const line = linearStandard(5000, 12000);
    expect([0, 5000, 8500, 10000, 12000, 20000].map((v) => scoreItem(line, v))).toEqual([0, 0, 50, 71, 100, 100]);
    expect(scoreItem(line, 5035)).toBe(1); // 0.5 → 1
    expect(scoreItem(line, 5034)).toBe(0); // 0.486 → 0
  });
  it('linear, uncapped: continued beyond the ends, within 0..100 points', () => {
    const line: Standard = { kind: 'linear', from: 8000, to: 10000, pointsAtFrom: 40, pointsAtTo: 80, capped: false };
    expect([6000, 7000, 8000, 11000, 12000, 20000].map((v) => scoreItem(line, v))).toEqual([0, 20, 40, 100, 100, 100]);
    const capped: Standard = { ...line, capped: true };
    expect([6000, 12000].map((v) => scoreItem(capped, v))).toEqual([40, 80]);
  });
  it('linear, falling (fewer is better)', () => {
    const line: Standard = { kind: 'linear', from: 0, to: 4, pointsAtFrom: 100, pointsAtTo: 0, capped: true };
    expect([0, 1, 2, 3, 4, 9].map((v) => scoreItem(line, v))).toEqual([100, 75, 50, 25, 0, 0]);
  });
});

describe('scoreAppraisal', () => {
  const scheme = { items: SAMPLE_ITEMS };
  it('weights every item’s points; total = Σ weight × points / 100, rounded half away from zero', () => {
    const score = scoreAppraisal(scheme.items, {
      target_achievement: 10000, // 71
      gross_margin_achievement: 9000, // 60
      cash_collection: 9500, // 100
      visits_vs_plan: 8000, // 80
      service_feedback: 450, // 88 (87.5 → 88)
      retention: 3000, // 50
      attendance: 10000, // 100
      discipline: 1, // 40
    });
    expect(score.items.map((i) => [i.itemId, i.value, i.points, i.weightedPoints])).toEqual([
      ['target', 10000, 71, 2840],
      ['margin', 9000, 60, 900],
      ['cash', 9500, 100, 1000],
      ['visits', 8000, 80, 800],
      ['service', 450, 88, 880],
      ['retention', 3000, 50, 250],
      ['attendance', 10000, 100, 500],
      ['discipline', 1, 40, 200],
    ]);
    expect(score.total).toBe(74); // 7370 / 100 = 73.7 → 74
  });
  it('leaves out items that could not be measured and weighs the rest in proportion', () => {
    const score = scoreAppraisal(
      [
        { itemId: 'a', source: 'target_achievement', weight: 60, standard: { kind: 'bands', bands: [{ atLeast: 0, points: 50 }] } },
        { itemId: 'b', source: 'visits_vs_plan', weight: 40, standard: { kind: 'bands', bands: [{ atLeast: 0, points: 100 }] } },
      ],
      { target_achievement: 1, visits_vs_plan: null },
    );
    expect(score.items[1]).toEqual({ itemId: 'b', source: 'visits_vs_plan', weight: 40, value: null, points: null, weightedPoints: null });
    expect(score.total).toBe(50);
  });
  it('has no total when nothing was measured', () => expect(scoreAppraisal(scheme.items, {}).total).toBeNull());
});

describe('scoreYearEnd', () => {
  const weights = { yearAchievementWeightBp: 6000, monthlyAverageWeightBp: 4000 };
  const months = (...totals: number[]) => totals.map((total, i) => ({ period: `2025-${String(i + 1).padStart(2, '0')}`, total }));
  it('weighs the year’s achievement points and the average of the monthly totals, rounding once', () => {
    // (80 × 6000 × 3 + (70 + 75 + 76) × 4000) / (10000 × 3) = (1440000 + 884000) / 30000 = 77.47 → 77
    expect(scoreYearEnd(weights, 80, months(70, 75, 76))).toEqual({
      yearAchievementPoints: 80,
      monthlyTotals: months(70, 75, 76),
      monthlyAverage: 74,
      total: 77,
    });
  });
  it('gives a missing part’s weight to the other; nothing when both are missing', () => {
    expect(scoreYearEnd(weights, null, months(70, 75)).total).toBe(73); // 72.5 → 73
    expect(scoreYearEnd(weights, 80, []).total).toBe(80);
    expect(scoreYearEnd(weights, null, []).total).toBeNull();
  });
});

describe('describeStandard', () => {
  it('writes counts and scores in their units', () => {
    expect(
      describeStandard(
        {
          kind: 'bands',
          bands: [
            { atLeast: 1, points: 0 },
            { atLeast: 0, points: 100 },
          ],
        },
        'count',
      ),
    ).toBe('0: 100 points; 1 or more: 0 points');
    expect(describeStandard({ kind: 'bands', bands: [{ atLeast: 400, points: 1 }] }, 'score_x100')).toBe(
      'at least an average score of 4.00: 1 point; below an average score of 4.00: 0 points',
    );
    expect(describeStandard({ kind: 'linear', from: 8000, to: 10050, pointsAtFrom: 40, pointsAtTo: 80, capped: false }, 'bp')).toBe(
      'from 80.00 % (40 points) to 100.50 % (80 points) in proportion, rounded half up to whole points; continued beyond both ends, within 0 and 100 points',
    );
  });
});
