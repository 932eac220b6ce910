/**
 * Appraisal scoring (ADR 0306), integers only:
 * - an item's points (0..100) come from its written standard applied to the measured value;
 * - an item without a measurable value (null: no target, no plan, no feedback, ...) is left out, and the
 *   weights of the measured items count in proportion;
 * - total = Σ(weight × points) / Σ(weight of measured items), rounded half away from zero (mulDivRound) once;
 *   `weightedPoints` = weight × points, exact, in hundredths of a total point.
 */
import { assertNever, mulDivRound } from '@salesline/shared-kernel';

export const APPRAISAL_SOURCES = [
  'target_achievement',
  'gross_margin_achievement',
  'cash_collection',
  'visits_vs_plan',
  'service_feedback',
  'retention',
  'attendance',
  'discipline',
] as const;
export type AppraisalSource = (typeof APPRAISAL_SOURCES)[number];

/** The unit each source is measured in (ADR 0307). */
export type SourceUnit = 'bp' | 'score_x100' | 'count';
export const SOURCE_UNITS: Readonly<Record<AppraisalSource, SourceUnit>> = {
  target_achievement: 'bp',
  gross_margin_achievement: 'bp',
  cash_collection: 'bp',
  visits_vs_plan: 'bp',
  service_feedback: 'score_x100',
  retention: 'bp',
  attendance: 'bp',
  discipline: 'count',
};
export const SOURCE_DESCRIPTIONS: Readonly<Record<AppraisalSource, string>> = {
  target_achievement: 'revenue achieved against the period target (sales progress, revenue basis)',
  gross_margin_achievement: 'gross margin achieved against the period target (sales progress)',
  cash_collection: 'cash collected against revenue invoiced in the period (sales progress)',
  visits_vs_plan: 'customer visits made against the visits planned in the sales plan',
  service_feedback: 'average after-sales service feedback score (1..5, ×100)',
  retention: 'share of the previous period’s customers who bought again in the period',
  attendance: 'meetings and working days attended on time against those expected (excused absences excluded)',
  discipline: 'violations and lateness cases in the period (cleared cases excluded)',
};

export type Band = Readonly<{ atLeast: number; points: number }>;
export type Standard =
  /** The band with the highest `atLeast` not above the value gives the points; below the lowest band: 0 points. */
  | Readonly<{ kind: 'bands'; bands: readonly Band[] }>
  /** Straight line from (from, pointsAtFrom) to (to, pointsAtTo); `capped`: the value is held within [from, to]. */
  | Readonly<{ kind: 'linear'; from: number; to: number; pointsAtFrom: number; pointsAtTo: number; capped: boolean }>;

export const MAX_POINTS = 100;
const clampPoints = (points: number): number => Math.max(0, Math.min(MAX_POINTS, points));

/** Points 0..100 for a measured value. Linear: pointsAtFrom + (value − from) × Δpoints / Δvalue, half away from zero, then kept within 0..100. */
export const scoreItem = (standard: Standard, value: number): number => {
  switch (standard.kind) {
    case 'bands': {
      const band = [...standard.bands].sort((a, b) => b.atLeast - a.atLeast).find((b) => value >= b.atLeast);
      return band ? band.points : 0;
    }
    case 'linear': {
      const { from, to, pointsAtFrom, pointsAtTo, capped } = standard;
      const x = capped ? Math.max(from, Math.min(to, value)) : value;
      return clampPoints(pointsAtFrom + mulDivRound(x - from, pointsAtTo - pointsAtFrom, to - from));
    }
    default:
      return assertNever(standard);
  }
};

/** `source`: the item's measure key (ADR 0313); the eight sources of ADR 0307 are measures without parameters. */
export type ScoredItemSpec = Readonly<{
  itemId: string;
  source: string;
  weight: number;
  standard: Standard;
  name?: string;
  writtenStandard?: string;
}>;
export type AppraisalInputs = Readonly<Record<string, number | null | undefined>>;
export type ScoredItem = Readonly<{
  itemId: string;
  /** The item's name and its written standard (what was counted and how it gives points), as the scorecard shows them. */
  name?: string;
  writtenStandard?: string;
  source: string;
  weight: number;
  value: number | null;
  /** null when the value could not be measured (the item is left out). */
  points: number | null;
  /** weight × points (hundredths of a total point); null when left out. */
  weightedPoints: number | null;
}>;
export type AppraisalScore = Readonly<{ items: ScoredItem[]; total: number | null }>;

/** Scores every item; total is null when no item could be measured. */
export const scoreAppraisal = (items: readonly ScoredItemSpec[], inputs: AppraisalInputs): AppraisalScore => {
  const scored = items.map((item): ScoredItem => {
    const value = inputs[item.source] ?? null;
    const points = value === null ? null : scoreItem(item.standard, value);
    const words = item.writtenStandard === undefined ? {} : { name: item.name, writtenStandard: item.writtenStandard };
    return {
      itemId: item.itemId,
      ...words,
      source: item.source,
      weight: item.weight,
      value,
      points,
      weightedPoints: points === null ? null : item.weight * points,
    };
  });
  const measured = scored.filter((i) => i.weightedPoints !== null);
  const weight = measured.reduce((sum, i) => sum + i.weight, 0);
  const weighted = measured.reduce((sum, i) => sum + i.weightedPoints!, 0);
  return { items: scored, total: weight === 0 ? null : mulDivRound(weighted, 1, weight) };
};

export type YearEndWeights = Readonly<{ yearAchievementWeightBp: number; monthlyAverageWeightBp: number }>;
export type MonthlyTotal = Readonly<{ period: string; total: number }>;
export type YearEndScore = Readonly<{
  yearAchievementPoints: number | null;
  monthlyTotals: MonthlyTotal[];
  /** Average of the monthly totals, half away from zero (shown; the total uses the exact sum). */
  monthlyAverage: number | null;
  total: number | null;
}>;

/**
 * Year-end: total = (Y × wY × n + Σm × wM) / (10000 × n), half away from zero, with Y the points of the year's
 * target achievement (scored by the target-achievement item's standard), Σm the sum of the n monthly totals.
 * When one part is missing its weight goes to the other; when both are, the total is null.
 */
export const scoreYearEnd = (
  weights: YearEndWeights,
  yearAchievementPoints: number | null,
  monthlyTotals: readonly MonthlyTotal[],
): YearEndScore => {
  const n = monthlyTotals.length;
  const sum = monthlyTotals.reduce((s, m) => s + m.total, 0);
  const monthlyAverage = n === 0 ? null : mulDivRound(sum, 1, n);
  let total: number | null;
  if (yearAchievementPoints === null) total = monthlyAverage;
  else if (n === 0) total = yearAchievementPoints;
  else
    total = mulDivRound(yearAchievementPoints * weights.yearAchievementWeightBp * n + sum * weights.monthlyAverageWeightBp, 1, 10_000 * n);
  return { yearAchievementPoints, monthlyTotals: [...monthlyTotals], monthlyAverage, total };
};

// ── The written standard ─────────────────────────────────────────────────────
const twoDecimals = (value: number): string => {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${(abs - (abs % 100)) / 100}.${String(abs % 100).padStart(2, '0')}`;
};

/** A value in its source's unit, in words: bp as a percentage, feedback as an average score, counts as they are. */
export const formatValue = (unit: SourceUnit, value: number): string => {
  switch (unit) {
    case 'bp':
      return `${twoDecimals(value)} %`;
    case 'score_x100':
      return `an average score of ${twoDecimals(value)}`;
    case 'count':
      return String(value);
    default:
      return assertNever(unit);
  }
};

const pointsText = (points: number): string => `${points} point${points === 1 ? '' : 's'}`;

/** Counts read as ranges, lowest first: "0: 100 points; 1 to 2: 70 points; 3 to 4: 40 points; 5 or more: 0 points". */
const describeCountBands = (bands: readonly Band[]): string => {
  const sorted = [...bands].sort((a, b) => a.atLeast - b.atLeast);
  const ranges = sorted.map((b, i) => {
    const next = sorted[i + 1];
    const range = !next ? `${b.atLeast} or more` : next.atLeast - 1 === b.atLeast ? `${b.atLeast}` : `${b.atLeast} to ${next.atLeast - 1}`;
    return `${range}: ${pointsText(b.points)}`;
  });
  return [...(sorted[0].atLeast > 0 ? [`below ${sorted[0].atLeast}: 0 points`] : []), ...ranges].join('; ');
};

/** How the standard gives points, in words, e.g. "at least 100.00 %: 100 points; at least 80.00 %: 60 points; below 80.00 %: 0 points". */
export const describeStandard = (standard: Standard, unit: SourceUnit): string => {
  switch (standard.kind) {
    case 'bands': {
      if (unit === 'count') return describeCountBands(standard.bands);
      const bands = [...standard.bands].sort((a, b) => b.atLeast - a.atLeast);
      const lines = bands.map((b) => `at least ${formatValue(unit, b.atLeast)}: ${pointsText(b.points)}`);
      const lowest = bands.at(-1)!;
      return [...lines, `below ${formatValue(unit, lowest.atLeast)}: 0 points`].join('; ');
    }
    case 'linear': {
      const { from, to, pointsAtFrom, pointsAtTo, capped } = standard;
      const line = `from ${formatValue(unit, from)} (${pointsText(pointsAtFrom)}) to ${formatValue(unit, to)} (${pointsText(pointsAtTo)}) in proportion, rounded half up to whole points`;
      const ends = capped
        ? `; ${pointsText(pointsAtFrom)} below ${formatValue(unit, from)} and ${pointsText(pointsAtTo)} above ${formatValue(unit, to)}`
        : `; continued beyond both ends, within 0 and ${MAX_POINTS} points`;
      return line + ends;
    }
    default:
      return assertNever(standard);
  }
};
