/**
 * Appraisal scheme — stream `appraisal-scheme` (ADR 0306): the "assessment system for marketing personnel",
 * versioned. Each item has a weight (integers summing to 100), a source (where its value comes from) and a
 * written standard mapping the value to 0..100 points; the event carries the standard in words too.
 * Outcomes: a total at or above `rewardAtOrAbove` earns the configured reward; below `improvementPlanBelow`
 * the review must set an improvement plan. Year-end weights combine the year's target achievement with the
 * monthly results. A version applies to the periods ending on or after its `effectiveFrom`.
 */
import type { BusinessDate, Command, Decider, DomainEvent, Minor } from '@salesline/shared-kernel';
import { assertNever, ruleViolation } from '@salesline/shared-kernel';
import { MEASURE_KINDS, MeasureSpec, describeMeasure, measureKey, unitOfMeasure, validateMeasure } from './appraisal-measures';
import { Standard, YearEndWeights, describeStandard, formatValue } from './appraisal-scoring';
import { optionalText, requireDate, requireId, requireInteger, requirePastDate, requireText } from './guards';
import { assertMayConfigurePerformance } from './performance-policy';
import { VersionsState, evolveVersions, initialVersionsState, nextVersion } from './versions';

export const APPRAISAL_SCHEME_STREAM = 'appraisal-scheme';
export const TOTAL_WEIGHT = 100;
const MAX_BANDS = 20;

/** An item names either a `measure` with parameters (ADR 0313) or one of the eight `source`s of ADR 0307 (a measure without parameters). */
export type SchemeItemInput = Readonly<{
  itemId: string;
  name: string;
  weight: number;
  source?: string;
  measure?: MeasureSpec;
  standard: Standard;
}>;
/**
 * An item as defined: `source` is its measure's key (inputs are stored under it); `measureText` says what is
 * counted, `standardText` how the value gives points, `writtenStandard` both in one sentence.
 */
export type SchemeItem = Readonly<{
  itemId: string;
  name: string;
  weight: number;
  source: string;
  measure: MeasureSpec;
  standard: Standard;
  standardText: string;
  measureText: string;
  writtenStandard: string;
}>;
export const MAX_PLAN_DEADLINE_DAYS = 366;
export type RewardConfig = Readonly<{ kind: string; amount: Minor | null }>;
export type AppraisalSchemeVersion = Readonly<{
  version: number;
  /** The company's own name for the version (e.g. "2026-v1"); null when none was given. */
  name: string | null;
  effectiveFrom: BusinessDate;
  /** Days after the review the improvement plan is due; null: the reviewer sets the deadline. */
  improvementPlanDeadlineDays: number | null;
  items: readonly SchemeItem[];
  rewardAtOrAbove: number;
  improvementPlanBelow: number;
  reward: RewardConfig;
  yearEnd: YearEndWeights;
}>;

// ── Events ───────────────────────────────────────────────────────────────────
export type AppraisalSchemeDefined = DomainEvent<
  'AppraisalSchemeDefined',
  Omit<AppraisalSchemeVersion, 'items'> & { items: SchemeItem[]; definedBy: string; definedOn: BusinessDate }
>;
export type AppraisalSchemeEvent = AppraisalSchemeDefined;

// ── Commands ─────────────────────────────────────────────────────────────────
export type DefineAppraisalScheme = Command<
  'DefineAppraisalScheme',
  {
    name?: string | null;
    effectiveFrom: BusinessDate;
    /** The business date the version was decided (default today, not in the future). */
    definedOn?: BusinessDate;
    improvementPlanDeadlineDays?: number | null;
    items: readonly SchemeItemInput[];
    rewardAtOrAbove: number;
    improvementPlanBelow: number;
    reward: RewardConfig;
    yearEnd: YearEndWeights;
  }
>;
export type AppraisalSchemeCommand = DefineAppraisalScheme;

// ── State ────────────────────────────────────────────────────────────────────
export type AppraisalSchemeState = VersionsState<AppraisalSchemeVersion>;
export const initialAppraisalSchemeState = initialVersionsState<AppraisalSchemeVersion>;

// ── Validation ───────────────────────────────────────────────────────────────
const invalidStandard = (itemId: string, message: string) => ruleViolation('InvalidStandard', `${itemId}: ${message}`, { itemId });
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isPoints = (v: unknown): v is number => isInt(v) && v >= 0 && v <= 100;

export const validateStandard = (itemId: string, standard: Standard): Standard => {
  switch (standard?.kind) {
    case 'bands': {
      const bands = standard.bands;
      if (!Array.isArray(bands) || bands.length === 0 || bands.length > MAX_BANDS)
        throw invalidStandard(itemId, `bands lists 1 to ${MAX_BANDS} bands`);
      if (bands.some((b) => !isInt(b?.atLeast) || !isPoints(b?.points)))
        throw invalidStandard(itemId, 'each band has an integer atLeast and 0..100 points');
      const sorted = [...bands].sort((a, b) => a.atLeast - b.atLeast);
      if (sorted.some((b, i) => i > 0 && b.atLeast === sorted[i - 1].atLeast))
        throw invalidStandard(itemId, 'two bands start at the same value');
      return { kind: 'bands', bands: sorted.map(({ atLeast, points }) => ({ atLeast, points })) };
    }
    case 'linear': {
      const { from, to, pointsAtFrom, pointsAtTo, capped } = standard;
      if (!isInt(from) || !isInt(to) || from >= to)
        throw invalidStandard(itemId, 'a linear standard runs from an integer value to a greater one');
      if (!isPoints(pointsAtFrom) || !isPoints(pointsAtTo)) throw invalidStandard(itemId, 'points at both ends are 0..100');
      if (typeof capped !== 'boolean') throw invalidStandard(itemId, 'capped is true or false');
      return { kind: 'linear', from, to, pointsAtFrom, pointsAtTo, capped };
    }
    default:
      throw invalidStandard(itemId, 'standard.kind is bands or linear');
  }
};

/** The measure an item names: its `measure`, or the parameterless measure of its `source` (ADR 0307 sources), never both. */
const measureOfItem = (itemId: string, item: SchemeItemInput): MeasureSpec => {
  if (item.measure !== undefined && item.measure !== null) {
    if (item.source !== undefined && item.source !== null && item.source !== measureKey(validateMeasure(itemId, item.measure)))
      throw ruleViolation('InvalidSchemeItem', `${itemId}: give a measure or a source, not both`, { itemId });
    return validateMeasure(itemId, item.measure);
  }
  // A source names a measure with its default parameters (the eight sources of ADR 0307 are such measures).
  if (!MEASURE_KINDS.includes(item.source as never))
    throw ruleViolation(
      'InvalidSchemeItem',
      `${itemId}: measure is required (GET /api/appraisal-measures), or a source among ${MEASURE_KINDS.join(', ')}`,
      { itemId },
    );
  return validateMeasure(itemId, { kind: item.source });
};

/** The item with its measure and standard in words. */
export const schemeItemOf = (item: Omit<SchemeItem, 'standardText' | 'measureText' | 'writtenStandard' | 'source'>): SchemeItem => {
  const standardText = describeStandard(item.standard, unitOfMeasure(item.measure));
  const measureText = describeMeasure(item.measure);
  return {
    itemId: item.itemId,
    name: item.name,
    weight: item.weight,
    source: measureKey(item.measure),
    measure: item.measure,
    standard: item.standard,
    standardText,
    measureText,
    writtenStandard: `${item.name}: ${measureText}; ${standardText}.`,
  };
};

const validateItems = (items: readonly SchemeItemInput[]): SchemeItem[] => {
  if (!Array.isArray(items) || items.length === 0) throw ruleViolation('SchemeItemsRequired', 'A scheme has at least one item');
  const ids = new Set<string>();
  const sources = new Set<string>();
  const valid = (items as readonly SchemeItemInput[]).map((item): SchemeItem => {
    const itemId = requireId(item?.itemId, 'itemId', 'InvalidSchemeItem');
    if (ids.has(itemId)) throw ruleViolation('DuplicateSchemeItem', `Item ${itemId} appears twice`, { itemId });
    ids.add(itemId);
    const measure = measureOfItem(itemId, item);
    const source = measureKey(measure);
    if (sources.has(source)) throw ruleViolation('DuplicateSchemeSource', `Two items measure ${source}`, { source });
    sources.add(source);
    const weight = requireInteger(item.weight, `${itemId}.weight`, 'InvalidSchemeItem', 1, TOTAL_WEIGHT);
    const standard = validateStandard(itemId, item.standard);
    return schemeItemOf({ itemId, name: requireText(item.name, `${itemId}.name`, 'InvalidSchemeItem', 200), weight, measure, standard });
  });
  const total = valid.reduce((sum, i) => sum + i.weight, 0);
  if (total !== TOTAL_WEIGHT)
    throw ruleViolation('WeightsMustSumTo100', `The item weights sum to ${total}, not ${TOTAL_WEIGHT}`, { total });
  return valid;
};

// ── Decide ───────────────────────────────────────────────────────────────────
export const decideAppraisalScheme = (command: AppraisalSchemeCommand, state: AppraisalSchemeState): AppraisalSchemeEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'DefineAppraisalScheme': {
      assertMayConfigurePerformance(actor);
      const d = command.data;
      const effectiveFrom = requireDate(d.effectiveFrom, 'effectiveFrom', 'InvalidAppraisalScheme');
      // A version may be dated back so past months recorded as they happened can be appraised; a reviewed
      // appraisal is never re-scored (AppraisalAlreadyReviewed), so what was shown to people stays (ADR 0311).
      const version = nextVersion(state, effectiveFrom, 'SchemeEffectiveDateNotAfterPrevious');
      const items = validateItems(d.items);
      const rewardAtOrAbove = requireInteger(d.rewardAtOrAbove, 'rewardAtOrAbove', 'InvalidOutcomeThresholds', 0, 100);
      const improvementPlanBelow = requireInteger(d.improvementPlanBelow, 'improvementPlanBelow', 'InvalidOutcomeThresholds', 0, 100);
      if (improvementPlanBelow > rewardAtOrAbove)
        throw ruleViolation('InvalidOutcomeThresholds', 'The improvement-plan threshold cannot be above the reward threshold', {
          rewardAtOrAbove,
          improvementPlanBelow,
        });
      const reward: RewardConfig = {
        kind: requireText(d.reward?.kind, 'reward.kind', 'InvalidReward', 200),
        amount:
          d.reward?.amount === null || d.reward?.amount === undefined
            ? null
            : requireInteger(d.reward.amount, 'reward.amount', 'InvalidReward', 0, Number.MAX_SAFE_INTEGER),
      };
      const y = d.yearEnd;
      if (
        !isInt(y?.yearAchievementWeightBp) ||
        !isInt(y?.monthlyAverageWeightBp) ||
        y.yearAchievementWeightBp < 0 ||
        y.monthlyAverageWeightBp < 0 ||
        y.yearAchievementWeightBp + y.monthlyAverageWeightBp !== 10_000
      )
        throw ruleViolation('InvalidYearEndWeights', 'Year-end weights are non-negative basis points summing to 10000');
      if (y.yearAchievementWeightBp > 0 && !yearAchievementItem(items))
        throw ruleViolation(
          'InvalidYearEndWeights',
          'Weighing the year’s target achievement needs an item measuring target_achievement (its standard scores the year)',
        );
      return [
        {
          type: 'AppraisalSchemeDefined',
          data: {
            version,
            name: optionalText(d.name, 'name', 'InvalidAppraisalScheme', 64) || null,
            effectiveFrom,
            improvementPlanDeadlineDays:
              d.improvementPlanDeadlineDays === undefined || d.improvementPlanDeadlineDays === null
                ? null
                : requireInteger(
                    d.improvementPlanDeadlineDays,
                    'improvementPlanDeadlineDays',
                    'InvalidAppraisalScheme',
                    1,
                    MAX_PLAN_DEADLINE_DAYS,
                  ),
            items,
            rewardAtOrAbove,
            improvementPlanBelow,
            reward,
            yearEnd: { yearAchievementWeightBp: y.yearAchievementWeightBp, monthlyAverageWeightBp: y.monthlyAverageWeightBp },
            definedBy: actor.userId,
            definedOn: requirePastDate(command.data.definedOn ?? today, 'definedOn', 'InvalidScheme', 'InvalidScheme', today),
          },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveAppraisalScheme = evolveVersions((event: AppraisalSchemeEvent) => upcastSchemeVersion(event.data));

export const appraisalSchemeDecider: Decider<AppraisalSchemeState, AppraisalSchemeCommand, AppraisalSchemeEvent> = {
  decide: decideAppraisalScheme,
  evolve: evolveAppraisalScheme,
  initialState: initialAppraisalSchemeState,
};

/** Versions recorded before measures (ADR 0313) name a source only: each item's measure is that source, without parameters. */
export const upcastSchemeVersion = (version: AppraisalSchemeDefined['data'] | AppraisalSchemeVersion): AppraisalSchemeVersion => {
  const { definedBy: _by, definedOn: _on, ...v } = version as AppraisalSchemeDefined['data'];
  return {
    ...v,
    name: v.name ?? null,
    improvementPlanDeadlineDays: v.improvementPlanDeadlineDays ?? null,
    items: v.items.map((i) =>
      i.measure && i.writtenStandard ? i : schemeItemOf({ ...i, measure: i.measure ?? { kind: i.source as MeasureSpec['kind'] } }),
    ),
  };
};

/** The item whose standard scores the year's target achievement (year-end, ADR 0306): the first target_achievement item on revenue. */
export const yearAchievementItem = (items: readonly SchemeItem[]): SchemeItem | undefined =>
  items.find((i) => i.measure.kind === 'target_achievement' && i.measure.figure !== 'quantity');

const money = (minor: Minor): string => `${(minor - (minor % 100)) / 100}.${String(minor % 100).padStart(2, '0')}`;
/** The reward rule in words: what a total at or above the threshold earns, granted at the review. */
export const rewardRule = (scheme: Pick<AppraisalSchemeVersion, 'rewardAtOrAbove' | 'reward'>): string =>
  `A total of ${scheme.rewardAtOrAbove} points or more earns ${scheme.reward.kind}${scheme.reward.amount === null ? '' : ` of ${money(scheme.reward.amount)}`}, granted at the review`;
/** The improvement-plan rule in words, with its deadline when the scheme states one. */
export const improvementPlanRule = (scheme: Pick<AppraisalSchemeVersion, 'improvementPlanBelow' | 'improvementPlanDeadlineDays'>): string =>
  `below ${scheme.improvementPlanBelow} points the review sets an improvement plan${
    scheme.improvementPlanDeadlineDays === null
      ? ' with a deadline the reviewer chooses'
      : ` due ${scheme.improvementPlanDeadlineDays} days after the review`
  }`;

/** The scheme in words, one line per item, then the outcomes. */
export const describeScheme = (scheme: AppraisalSchemeVersion): string[] => [
  ...scheme.items.map((i) => `${i.name} (${i.weight} of 100): ${i.measureText}; ${i.standardText}`),
  `${rewardRule(scheme)}; ${improvementPlanRule(scheme)}.`,
  `Year-end: the year's target achievement weighs ${formatValue('bp', scheme.yearEnd.yearAchievementWeightBp)}, the average of the monthly totals ${formatValue('bp', scheme.yearEnd.monthlyAverageWeightBp)}.`,
];
