/**
 * Appraisal measures (ADR 0313): what a scheme item counts or computes, with parameters, and the catalog
 * that says so (`GET /api/appraisal-measures`). An item's `source` is its measure's key: the measure's kind
 * alone when it carries no parameters (the eight sources of ADR 0307 are such measures, unchanged), else the
 * kind with its parameters in a canonical form, e.g. `attendance_count(excusedAbsences=excluded;kinds=absent,late,left_early)`.
 * Every value is measured as of the period end from facts whose business date lies in the period (ADR 0307).
 */
import { assertNever, ruleViolation } from '@salesline/shared-kernel';
import type { SourceUnit } from './appraisal-scoring';
import { CASE_OUTCOMES } from './disciplinary-case';
import { CASE_KINDS } from './discipline-policy';
import { MEETING_KINDS } from './meeting';
import { VIOLATION_KINDS, VIOLATION_SEVERITIES } from './violation';

export const SALES_BASES = ['booked', 'delivered', 'invoiced', 'collected'] as const;
export type SalesBasis = (typeof SALES_BASES)[number];
export const ATTENDANCE_COUNT_KINDS = ['late', 'left_early', 'absent'] as const;
export type AttendanceCountKind = (typeof ATTENDANCE_COUNT_KINDS)[number];
// Written out (not spread from CASE_OUTCOMES): the event catalog's schema generator reads literal lists only.
export const CASE_STATES = ['open', 'no_fault', 'warning', 'penalty', 'dismissal'] as const satisfies readonly (
  'open' | (typeof CASE_OUTCOMES)[number]
)[];
export type CaseState = (typeof CASE_STATES)[number];

export const MEASURE_KINDS = [
  'target_achievement',
  'gross_margin_achievement',
  'gross_margin_rate',
  'cash_collection',
  'visits_vs_plan',
  'visit_count',
  'service_feedback',
  'retention',
  'attendance',
  'attendance_count',
  'violation_count',
  'disciplinary_case_count',
  'discipline',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/** A measure and its parameters; a parameter left out takes the default the catalog states. */
export type MeasureSpec = Readonly<{
  kind: MeasureKind;
  /** target_achievement, gross_margin_achievement: the sales basis (default: the revenue basis setting). */
  basis?: SalesBasis;
  /** target_achievement: revenue (default) or quantity. */
  figure?: 'revenue' | 'quantity';
  /** attendance_count: which facts count (default all: late, left_early, absent). */
  kinds?: readonly AttendanceCountKind[];
  /** attendance_count: whether absences a manager excused beforehand count (default excluded). */
  excusedAbsences?: 'excluded' | 'included';
  /** attendance_count: meeting kinds counted (default all: company, department, work_day). */
  meetingKinds?: readonly (typeof MEETING_KINDS)[number][];
  /** violation_count: severities counted (default all). */
  severities?: readonly (typeof VIOLATION_SEVERITIES)[number][];
  /** violation_count: violation kinds counted (default all). */
  violationKinds?: readonly (typeof VIOLATION_KINDS)[number][];
  /** disciplinary_case_count: case kinds counted (default all). */
  caseKinds?: readonly (typeof CASE_KINDS)[number][];
  /** disciplinary_case_count: where the case stands at the period end: open or its outcome (default all). */
  outcomes?: readonly CaseState[];
}>;

type ParamName = Exclude<keyof MeasureSpec, 'kind'>;
type ParamDoc = Readonly<{ name: ParamName; values: readonly string[]; list: boolean; required: boolean; default: string }>;
export type MeasureCatalogEntry = Readonly<{
  kind: MeasureKind;
  unit: SourceUnit;
  /** What is counted or computed. */
  description: string;
  /** The events the facts come from. */
  fromEvents: readonly string[];
  /** As of when. */
  asOf: string;
  /** Null when the value cannot be measured (the item is then left out of the total). */
  nullWhen: string | null;
  parameters: readonly ParamDoc[];
  example: MeasureSpec;
}>;

const BASIS_PARAM = (values: readonly string[]): ParamDoc => ({
  name: 'basis',
  values,
  list: false,
  required: false,
  default: 'the revenue basis setting (PUT /api/settings/targets)',
});
const PERIOD_END =
  'the period end: facts whose business date lies in the period; facts recorded later but dated in it count when the period is (re-)appraised';
const SALES_EVENTS = [
  'OrderPlaced',
  'OrderCancelled',
  'DeliveryRecorded',
  'ReturnReceived',
  'InvoiceIssued',
  'CreditNoteIssued',
  'PaymentReceived',
];

export const MEASURE_CATALOG: readonly MeasureCatalogEntry[] = [
  {
    kind: 'target_achievement',
    unit: 'bp',
    description: 'sales achieved on the chosen basis against the period target (sales progress row of the salesperson), in basis points',
    fromEvents: [...SALES_EVENTS, 'TargetAssigned', 'TargetRevised'],
    asOf: PERIOD_END,
    nullWhen: 'the salesperson has no (or a zero) target for the period',
    parameters: [
      BASIS_PARAM(SALES_BASES),
      { name: 'figure', values: ['revenue', 'quantity'], list: false, required: false, default: 'revenue' },
    ],
    example: { kind: 'target_achievement', basis: 'booked' },
  },
  {
    kind: 'gross_margin_achievement',
    unit: 'bp',
    description: 'gross margin (amount − captured cost) achieved on the chosen basis against the period margin target, in basis points',
    fromEvents: [...SALES_EVENTS, 'TargetAssigned', 'TargetRevised'],
    asOf: PERIOD_END,
    nullWhen: 'no (or a zero) margin target',
    parameters: [BASIS_PARAM(['booked', 'delivered', 'invoiced'])],
    example: { kind: 'gross_margin_achievement', basis: 'invoiced' },
  },
  {
    kind: 'gross_margin_rate',
    unit: 'bp',
    description: 'gross margin against revenue on the chosen basis in the period (the margin rate), in basis points',
    fromEvents: SALES_EVENTS,
    asOf: PERIOD_END,
    nullWhen: 'no revenue on that basis in the period',
    parameters: [BASIS_PARAM(['booked', 'delivered', 'invoiced'])],
    example: { kind: 'gross_margin_rate', basis: 'invoiced' },
  },
  {
    kind: 'cash_collection',
    unit: 'bp',
    description: 'collection rate: cash collected in the period against revenue invoiced in the period, in basis points',
    fromEvents: ['InvoiceIssued', 'CreditNoteIssued', 'PaymentReceived'],
    asOf: PERIOD_END,
    nullWhen: 'nothing was invoiced in the period',
    parameters: [],
    example: { kind: 'cash_collection' },
  },
  {
    kind: 'visits_vs_plan',
    unit: 'bp',
    description: 'customer visits made in the period against the visits planned in the approved sales plan(s), in basis points',
    fromEvents: ['CustomerVisited', 'SalesPlanApproved'],
    asOf: PERIOD_END,
    nullWhen: 'no approved plan with planned visits',
    parameters: [],
    example: { kind: 'visits_vs_plan' },
  },
  {
    kind: 'visit_count',
    unit: 'count',
    description: 'customer visits made in the period, counted',
    fromEvents: ['CustomerVisited'],
    asOf: PERIOD_END,
    nullWhen: null,
    parameters: [],
    example: { kind: 'visit_count' },
  },
  {
    kind: 'service_feedback',
    unit: 'score_x100',
    description: 'average after-sales service feedback score (1..5) received in the period, ×100, half away from zero',
    fromEvents: ['ServiceFeedbackRecorded'],
    asOf: PERIOD_END,
    nullWhen: 'no feedback received in the period',
    parameters: [],
    example: { kind: 'service_feedback' },
  },
  {
    kind: 'retention',
    unit: 'bp',
    description:
      'customers with a booked order in the previous period who booked again in this one, against those of the previous period, in basis points',
    fromEvents: ['OrderPlaced'],
    asOf: PERIOD_END,
    nullWhen: 'nobody bought in the previous period',
    parameters: [],
    example: { kind: 'retention' },
  },
  {
    kind: 'attendance',
    unit: 'bp',
    description: 'meetings and working days attended on time against those expected (excused absences are not expected), in basis points',
    fromEvents: ['AttendanceRecorded', 'MeetingMissed', 'AttendanceCorrected', 'AbsenceExcused', 'MeetingCancelled'],
    asOf: PERIOD_END,
    nullWhen: 'nothing was expected of the salesperson in the period',
    parameters: [],
    example: { kind: 'attendance' },
  },
  {
    kind: 'attendance_count',
    unit: 'count',
    description:
      'late arrivals, early departures and/or absences at meetings and working days in the period, counted (as corrected; cancelled meetings do not count)',
    fromEvents: ['AttendanceRecorded', 'MeetingMissed', 'AttendanceCorrected', 'AbsenceExcused', 'MeetingCancelled'],
    asOf: PERIOD_END,
    nullWhen: null,
    parameters: [
      { name: 'kinds', values: ATTENDANCE_COUNT_KINDS, list: true, required: false, default: 'all' },
      { name: 'excusedAbsences', values: ['excluded', 'included'], list: false, required: false, default: 'excluded' },
      { name: 'meetingKinds', values: MEETING_KINDS, list: true, required: false, default: 'all' },
    ],
    example: { kind: 'attendance_count', kinds: ['late', 'left_early', 'absent'] },
  },
  {
    kind: 'violation_count',
    unit: 'count',
    description:
      'violations that occurred in the period, counted; a violation cleared by a case closed as no fault by the period end does not count',
    fromEvents: ['ViolationRecorded', 'DisciplinaryCaseClosed'],
    asOf: PERIOD_END,
    nullWhen: null,
    parameters: [
      { name: 'severities', values: VIOLATION_SEVERITIES, list: true, required: false, default: 'all' },
      { name: 'violationKinds', values: VIOLATION_KINDS, list: true, required: false, default: 'all' },
    ],
    example: { kind: 'violation_count', severities: ['serious'] },
  },
  {
    kind: 'disciplinary_case_count',
    unit: 'count',
    description:
      'disciplinary cases whose rule was reached in the period (the date of their last triggering fact), counted by kind and by where they stand at the period end (open, or the outcome decided by then)',
    fromEvents: ['DisciplinaryCaseOpened', 'DisciplinaryCaseClosed'],
    asOf: PERIOD_END,
    nullWhen: null,
    parameters: [
      { name: 'caseKinds', values: CASE_KINDS, list: true, required: false, default: 'all' },
      { name: 'outcomes', values: CASE_STATES, list: true, required: false, default: 'all' },
    ],
    example: {
      kind: 'disciplinary_case_count',
      caseKinds: ['investigation', 'dismissal_review'],
      outcomes: ['open', 'warning', 'penalty', 'dismissal'],
    },
  },
  {
    kind: 'discipline',
    unit: 'count',
    description:
      'disciplinary marks: violations that occurred in the period plus lateness cases reached in it, minus those cleared as no fault by the period end (ADR 0307)',
    fromEvents: ['ViolationRecorded', 'DisciplinaryCaseOpened', 'DisciplinaryCaseClosed'],
    asOf: PERIOD_END,
    nullWhen: null,
    parameters: [],
    example: { kind: 'discipline' },
  },
];

export const catalogEntry = (kind: MeasureKind): MeasureCatalogEntry => MEASURE_CATALOG.find((m) => m.kind === kind)!;
export const unitOfMeasure = (measure: MeasureSpec): SourceUnit => catalogEntry(measure.kind).unit;

// ── Validation ───────────────────────────────────────────────────────────────
const invalidMeasure = (itemId: string, message: string) => ruleViolation('InvalidMeasure', `${itemId}: ${message}`, { itemId });

/** The measure in its canonical form: known kind, only its own parameters, lists sorted and de-duplicated, a list of every value left out (the default). */
export const validateMeasure = (itemId: string, raw: unknown): MeasureSpec => {
  const input = raw as Record<string, unknown> | null;
  if (!input || typeof input !== 'object') throw invalidMeasure(itemId, 'measure must be an object with a kind');
  const kind = input.kind as MeasureKind;
  if (!MEASURE_KINDS.includes(kind)) throw invalidMeasure(itemId, `measure.kind must be one of ${MEASURE_KINDS.join(', ')}`);
  const entry = catalogEntry(kind);
  const allowed = new Set<string>(['kind', ...entry.parameters.map((p) => p.name)]);
  const unknown = Object.keys(input).filter((k) => !allowed.has(k) && input[k] !== undefined && input[k] !== null);
  if (unknown.length > 0)
    throw invalidMeasure(
      itemId,
      `${kind} takes no parameter ${unknown.join(', ')} (parameters: ${entry.parameters.map((p) => p.name).join(', ') || 'none'})`,
    );
  const spec: Record<string, unknown> = { kind };
  for (const param of entry.parameters) {
    const value = input[param.name];
    if (value === undefined || value === null) {
      if (param.required) throw invalidMeasure(itemId, `${kind} needs ${param.name} (${param.values.join(', ')})`);
      continue;
    }
    if (param.list) {
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => !param.values.includes(v)))
        throw invalidMeasure(itemId, `${param.name} lists one or more of ${param.values.join(', ')}`);
      const chosen = [...new Set(value as string[])].sort();
      // Every value listed is the default ("all"): the canonical form leaves it out, so both spell the same measure.
      if (chosen.length < param.values.length) spec[param.name] = chosen;
    } else {
      if (!param.values.includes(value as string)) throw invalidMeasure(itemId, `${param.name} is one of ${param.values.join(', ')}`);
      spec[param.name] = value;
    }
  }
  return spec as MeasureSpec;
};

/** The key inputs and items are stored under: the kind alone without parameters, else `kind(name=value;…)`, names in order. */
export const measureKey = (measure: MeasureSpec): string => {
  const params = Object.keys(measure)
    .filter((k) => k !== 'kind')
    .sort()
    .map((k) => {
      const v = measure[k as ParamName];
      return `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`;
    });
  return params.length === 0 ? measure.kind : `${measure.kind}(${params.join(';')})`;
};

// ── In words ─────────────────────────────────────────────────────────────────
const orList = (words: readonly string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
const andList = (words: readonly string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
const BASIS_WORDS: Record<SalesBasis, string> = {
  booked: 'orders booked',
  delivered: 'revenue delivered',
  invoiced: 'revenue invoiced',
  collected: 'cash collected',
};
const ATTENDANCE_WORDS: Record<AttendanceCountKind, string> = { late: 'late arrivals', left_early: 'early departures', absent: 'absences' };
const MEETING_WORDS: Record<string, string> = { company: 'company meetings', department: 'department meetings', work_day: 'working days' };

/** The measure in words, as a salesperson reads it on the scorecard, e.g. "late arrivals, early departures and absences … in the period, counted". */
export const describeMeasure = (measure: MeasureSpec): string => {
  const basis = measure.basis ? BASIS_WORDS[measure.basis] : 'sales on the company’s revenue basis';
  switch (measure.kind) {
    case 'target_achievement':
      return measure.figure === 'quantity'
        ? `units of ${basis} in the period against the period’s quantity target, as a percentage`
        : `${basis} in the period against the period’s revenue target, as a percentage`;
    case 'gross_margin_achievement':
      return `gross margin of ${basis} in the period against the period’s margin target, as a percentage`;
    case 'gross_margin_rate':
      return `gross margin of ${basis} in the period against their amount (the margin rate), as a percentage`;
    case 'attendance_count': {
      const chosen = measure.kinds ?? ATTENDANCE_COUNT_KINDS;
      const kinds = ATTENDANCE_COUNT_KINDS.filter((k) => chosen.includes(k)).map((k) => ATTENDANCE_WORDS[k]);
      const absences = chosen.includes('absent')
        ? measure.excusedAbsences === 'included'
          ? ' (absences excused beforehand included)'
          : ' (absences excused beforehand not counted)'
        : '';
      const where = measure.meetingKinds ? orList(measure.meetingKinds.map((k) => MEETING_WORDS[k])) : 'meetings and working days';
      return `${andList(kinds)} at ${where} in the period, counted${absences}`;
    }
    case 'violation_count': {
      const severity = measure.severities ? `${orList(measure.severities)} ` : '';
      const kinds = measure.violationKinds ? ` of kind ${orList(measure.violationKinds)}` : '';
      return `${severity}violations${kinds} that occurred in the period, counted (those cleared as no fault by the period end do not count)`;
    }
    case 'disciplinary_case_count': {
      const kinds = measure.caseKinds ? orList(measure.caseKinds.map((k) => k.replace('_', ' '))) : 'disciplinary';
      const outcomes = measure.outcomes
        ? `, standing at the period end as ${orList(measure.outcomes.map((o) => o.replace('_', ' ')))}`
        : '';
      return `${kinds} cases whose rule was reached in the period${outcomes}, counted`;
    }
    case 'cash_collection':
    case 'visits_vs_plan':
    case 'visit_count':
    case 'service_feedback':
    case 'retention':
    case 'attendance':
    case 'discipline':
      return catalogEntry(measure.kind).description.replace(/, in basis points$/, ', as a percentage');
    default:
      return assertNever(measure.kind);
  }
};
