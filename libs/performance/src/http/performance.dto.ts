import { DateField, NestedField, NestedListField, OptionalDateField, OptionalNestedField, OptionalNestedListField } from '@salesline/core';
import { ReasonBody } from '@salesline/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type, plainToInstance } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty } from 'class-validator';
import { IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ReadModelQuery } from '@salesline/core';
import { ID_PATTERN } from '@salesline/shared-kernel';
import { ATTENDANCE_COUNT_KINDS, CASE_STATES, MEASURE_KINDS, MeasureKind, SALES_BASES } from '../domain/appraisal-measures';
import { CASE_OUTCOMES, CaseOutcome } from '../domain/disciplinary-case';
import { CASE_KINDS, CaseKind } from '../domain/discipline-policy';
import { ATTENDANCE_STATUSES, AttendanceStatus, MEETING_KINDS, MeetingKind } from '../domain/meeting';
import { EVIDENCE_KINDS, EvidenceKind, VIOLATION_KINDS, VIOLATION_SEVERITIES, ViolationKind, ViolationSeverity } from '../domain/violation';

const PERIOD = /^[1-9]\d{3}(-(0[1-9]|1[0-2]))?$/; // year 0000 has no calendar here
const id = (field: string) => ({ message: `${field} must be 1-64 letters, digits, _ or -` });

export { CommandAccepted } from '@salesline/core';

// ── service feedback ─────────────────────────────────────────────────────────
export class RecordServiceFeedbackBody {
  @ApiPropertyOptional({
    example: 'fb-2026-0042',
    description: 'The after-sales system’s id (default: generated); a repeated id is refused',
  })
  @IsOptional()
  @Matches(ID_PATTERN, id('feedbackId'))
  feedbackId?: string;

  @ApiProperty({ example: 'sp-anna' }) @Matches(ID_PATTERN, id('employeeId')) employeeId: string;
  @ApiProperty({ example: 'c-1' }) @Matches(ID_PATTERN, id('customerId')) customerId: string;
  @ApiProperty({ example: 4, minimum: 1, maximum: 5 }) @IsInt() @Min(1) @Max(5) score: number;
  @ApiPropertyOptional({ example: 'Quick delivery, friendly' }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @OptionalDateField({ example: '2026-01-10', description: 'Business date (default today, within the back-dating window)' })
  receivedOn?: string;
}

// ── meetings ─────────────────────────────────────────────────────────────────
export class ScheduleMeetingBody {
  @ApiProperty({ enum: MEETING_KINDS, description: '`work_day` records lateness at work the same way' })
  @IsIn(MEETING_KINDS)
  kind: MeetingKind;
  @ApiProperty({ example: 'Monday sales meeting' }) @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @DateField({
    example: '2026-01-12',
    description: 'The meeting day (may be in the future, or in the past within the back-dating window)',
  })
  scheduledFor: string;
  @ApiProperty({ example: '08:30' }) @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startsAt must be a time HH:MM' }) startsAt: string;
  @ApiProperty({ example: ['sp-anna', 'sp-ben'], type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Matches(ID_PATTERN, { each: true, message: 'each attendee must be 1-64 letters, digits, _ or -' })
  attendees: string[];
  @OptionalDateField({
    example: '2026-01-05',
    description:
      'Business date the meeting was scheduled (default today, or the meeting day for a past meeting; within the back-dating window, never after the meeting day)',
  })
  scheduledOn?: string;
}

export class CancelMeetingBody extends ReasonBody {
  @OptionalDateField({
    example: '2026-01-10',
    description: 'Business date of the cancellation (default today, within the back-dating window)',
  })
  cancelledOn?: string;
}

export class ExcuseAbsenceBody {
  @ApiProperty({ example: 'sp-anna' }) @Matches(ID_PATTERN, id('employeeId')) employeeId: string;
  @ApiProperty({ example: 'Customer visit abroad, approved' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
  @OptionalDateField({ example: '2026-01-09', description: 'Business date of the approval (default today); before the meeting day' })
  approvedOn?: string;
}

export class RecordAttendanceBody {
  @ApiProperty({ example: 'sp-anna' }) @Matches(ID_PATTERN, id('employeeId')) employeeId: string;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) @IsIn(ATTENDANCE_STATUSES) status: AttendanceStatus;
  @ApiPropertyOptional({ example: 15, description: 'Required when late' }) @IsOptional() @IsInt() @Min(1) @Max(1440) minutesLate?: number;
  @ApiPropertyOptional({ example: 30, description: 'Required when left early' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  minutesEarly?: number;
}

export class CorrectAttendanceBody extends RecordAttendanceBody {
  @ApiProperty({ example: 'Train delay was recorded as lateness by mistake' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
  @OptionalDateField({
    example: '2026-01-13',
    description: 'Business date of the correction (default today, within the back-dating window), from the meeting day on',
  })
  correctedOn?: string;
}

/** One ReasonBody for the whole API (one schema name in OpenAPI). */
export { ReasonBody };

// ── violations ───────────────────────────────────────────────────────────────
export class EvidenceBody {
  @ApiProperty({ enum: EVIDENCE_KINDS }) @IsIn(EVIDENCE_KINDS) kind: EvidenceKind;
  @ApiProperty({ example: 'po-123', description: 'For price_override_request: the override id of quote to cash' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reference: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class RecordViolationBody {
  @ApiProperty({ example: 'sp-ben' }) @Matches(ID_PATTERN, id('employeeId')) employeeId: string;
  @ApiProperty({ enum: VIOLATION_KINDS }) @IsIn(VIOLATION_KINDS) kind: ViolationKind;
  @ApiProperty({ enum: VIOLATION_SEVERITIES }) @IsIn(VIOLATION_SEVERITIES) severity: ViolationSeverity;
  @ApiProperty({ example: 'Sold 40 % below the floor without approval' }) @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
  @NestedListField(EvidenceBody, { min: 1, max: 50 })
  evidence: EvidenceBody[];
  @OptionalDateField({ example: '2026-01-10', description: 'Business date (default today, within the back-dating window)' })
  occurredOn?: string;
  @OptionalDateField({
    example: '2026-01-11',
    description: 'Business date the violation was recorded (default today, within the back-dating window), on or after occurredOn',
  })
  recordedOn?: string;
}

// ── discipline ───────────────────────────────────────────────────────────────
export class DisciplineConditionBody {
  @ApiProperty({ enum: ['lateness_count', 'violation', 'violation_count'] })
  @IsIn(['lateness_count', 'violation', 'violation_count'])
  kind: 'lateness_count' | 'violation' | 'violation_count';
  @ApiPropertyOptional({ enum: ['calendar_month', 'calendar_year'] }) @IsOptional() @IsIn(['calendar_month', 'calendar_year']) window?:
    'calendar_month' | 'calendar_year';
  @ApiPropertyOptional({ enum: ['late', 'left_early', 'missed'], isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(['late', 'left_early', 'missed'], { each: true })
  countsAs?: ('late' | 'left_early' | 'missed')[];
  @ApiPropertyOptional({ example: 3 }) @IsOptional() @IsInt() @Min(1) @Max(366) atLeast?: number;
  @ApiPropertyOptional({ enum: ['serious', 'any'] }) @IsOptional() @IsIn(['serious', 'any']) severity?: 'serious' | 'any';
}

export class DisciplineRuleBody {
  @ApiProperty({ example: 'late-3-in-month' }) @Matches(ID_PATTERN, id('ruleId')) ruleId: string;
  @NestedField(DisciplineConditionBody)
  when: DisciplineConditionBody;
  @ApiProperty({ enum: CASE_KINDS }) @IsIn(CASE_KINDS) opens: CaseKind;
}

export class DefineDisciplinePolicyBody {
  @OptionalDateField({ example: '2026-02-01', description: 'Default today; never before today (policies are not retroactive)' })
  effectiveFrom?: string;
  @OptionalDateField({
    example: '2026-01-15',
    description: 'Business date the version was decided (default today, within the back-dating window)',
  })
  definedOn?: string;
  @NestedListField(DisciplineRuleBody, { min: 1, max: 50 })
  rules: DisciplineRuleBody[];
}

export class CloseCaseBody {
  @ApiProperty({ enum: CASE_OUTCOMES, description: 'dismissal ends the employee’s assignment (SalespersonLeft)' })
  @IsIn(CASE_OUTCOMES)
  outcome: CaseOutcome;
  @ApiProperty({ example: 'Heard the employee; written warning' }) @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
  @OptionalDateField({ example: '2026-01-20', description: 'Business date (default today); for a dismissal the last working day' })
  closedOn?: string;
}

export class ListCasesQuery extends ReadModelQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, id('employeeId')) employeeId?: string;
  @ApiPropertyOptional({ enum: ['open', 'closed'] }) @IsOptional() @IsIn(['open', 'closed']) status?: 'open' | 'closed';
}

export class ListViolationsQuery extends ReadModelQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, id('employeeId')) employeeId?: string;
}

// ── appraisal scheme ─────────────────────────────────────────────────────────
export class BandBody {
  @ApiProperty({ example: 10000, description: 'In the source’s unit (bp, score ×100 or count)' })
  @IsInt()
  @Min(-1_000_000_000)
  @Max(1_000_000_000)
  atLeast: number;
  @ApiProperty({ example: 100 }) @IsInt() @Min(0) @Max(100) points: number;
}

export class StandardBody {
  @ApiProperty({ enum: ['bands', 'linear'] }) @IsIn(['bands', 'linear']) kind: 'bands' | 'linear';
  @OptionalNestedListField(BandBody, { max: 20 })
  bands?: BandBody[];
  @ApiPropertyOptional({ example: 5000 }) @IsOptional() @IsInt() @Min(-1_000_000_000) @Max(1_000_000_000) from?: number;
  @ApiPropertyOptional({ example: 12000 }) @IsOptional() @IsInt() @Min(-1_000_000_000) @Max(1_000_000_000) to?: number;
  @ApiPropertyOptional({ example: 0 }) @IsOptional() @IsInt() @Min(0) @Max(100) pointsAtFrom?: number;
  @ApiPropertyOptional({ example: 100 }) @IsOptional() @IsInt() @Min(0) @Max(100) pointsAtTo?: number;
  @ApiPropertyOptional({ example: true }) @IsOptional() @IsBoolean() capped?: boolean;
}

const listOf = (values: readonly string[], field: string) => [
  IsOptional(),
  IsArray(),
  ArrayMinSize(1),
  ArrayMaxSize(values.length),
  IsIn(values as string[], { each: true, message: `each of ${field} is one of ${values.join(', ')}` }),
];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const d of decorators) d(target, key);
  };

/** A measure with its parameters (GET /api/appraisal-measures lists them, with defaults). */
export class MeasureBody {
  @ApiProperty({ enum: MEASURE_KINDS, example: 'attendance_count' }) @IsIn(MEASURE_KINDS) kind: MeasureKind;
  @ApiPropertyOptional({
    enum: SALES_BASES,
    description: 'target_achievement, gross_margin_achievement: default the revenue basis setting',
  })
  @IsOptional()
  @IsIn(SALES_BASES)
  basis?: (typeof SALES_BASES)[number];
  @ApiPropertyOptional({ enum: ['revenue', 'quantity'], description: 'target_achievement: default revenue' })
  @IsOptional()
  @IsIn(['revenue', 'quantity'])
  figure?: 'revenue' | 'quantity';
  @ApiPropertyOptional({
    type: [String],
    enum: ATTENDANCE_COUNT_KINDS,
    example: ['late', 'left_early', 'absent'],
    description: 'attendance_count: default all three',
  })
  @apply(...listOf(ATTENDANCE_COUNT_KINDS, 'kinds'))
  kinds?: (typeof ATTENDANCE_COUNT_KINDS)[number][];
  @ApiPropertyOptional({ enum: ['excluded', 'included'], description: 'attendance_count: absences excused beforehand (default excluded)' })
  @IsOptional()
  @IsIn(['excluded', 'included'])
  excusedAbsences?: 'excluded' | 'included';
  @ApiPropertyOptional({ type: [String], enum: MEETING_KINDS, description: 'attendance_count: default all' })
  @apply(...listOf(MEETING_KINDS, 'meetingKinds'))
  meetingKinds?: MeetingKind[];
  @ApiPropertyOptional({ type: [String], enum: VIOLATION_SEVERITIES, description: 'violation_count: default all' })
  @apply(...listOf(VIOLATION_SEVERITIES, 'severities'))
  severities?: ViolationSeverity[];
  @ApiPropertyOptional({ type: [String], enum: VIOLATION_KINDS, description: 'violation_count: default all' })
  @apply(...listOf(VIOLATION_KINDS, 'violationKinds'))
  violationKinds?: ViolationKind[];
  @ApiPropertyOptional({ type: [String], enum: CASE_KINDS, description: 'disciplinary_case_count: default all' })
  @apply(...listOf(CASE_KINDS, 'caseKinds'))
  caseKinds?: CaseKind[];
  @ApiPropertyOptional({
    type: [String],
    enum: CASE_STATES,
    description: 'disciplinary_case_count: where the case stands at the period end; default all',
  })
  @apply(...listOf(CASE_STATES, 'outcomes'))
  outcomes?: (typeof CASE_STATES)[number][];
}

export class SchemeItemBody {
  @ApiProperty({ example: 'target' }) @Matches(ID_PATTERN, id('itemId')) itemId: string;
  @ApiProperty({ example: 'Target achievement' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ example: 40, description: 'Integer points; the weights sum to 100' }) @IsInt() @Min(1) @Max(100) weight: number;
  @ApiPropertyOptional({
    type: MeasureBody,
    description:
      'What the item counts or computes, with parameters (GET /api/appraisal-measures); a kind alone may be given as a string; or give a source',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? plainToInstance(MeasureBody, { kind: value }) : value))
  @IsObject()
  @ValidateNested()
  @Type(() => MeasureBody)
  measure?: MeasureBody;
  @ApiPropertyOptional({
    enum: MEASURE_KINDS,
    description: 'Shorthand for a measure with its default parameters (the sources of ADR 0307 among them); give a measure or a source',
  })
  @IsOptional()
  @IsIn(MEASURE_KINDS)
  source?: MeasureKind;
  @NestedField(StandardBody) standard: StandardBody;
}

export class RewardBody {
  @ApiProperty({ example: 'bonus' }) @IsString() @IsNotEmpty() @MaxLength(200) kind: string;
  @ApiPropertyOptional({ example: 50000, nullable: true, description: 'Minor units; null for a non-monetary reward' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amount?: number | null;
}

export class YearEndWeightsBody {
  @ApiProperty({ example: 6000 }) @IsInt() @Min(0) @Max(10000) yearAchievementWeightBp: number;
  @ApiProperty({ example: 4000 }) @IsInt() @Min(0) @Max(10000) monthlyAverageWeightBp: number;
}

export class DefineAppraisalSchemeBody {
  @ApiPropertyOptional({ example: '2026-v1', description: 'The company’s own name for the version, besides the server’s version number' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name?: string;
  @OptionalDateField({ example: '2026-02-01', description: 'Default the first day of the current month; never before it' })
  effectiveFrom?: string;
  @OptionalDateField({
    example: '2026-01-15',
    description: 'Business date the version was decided (default today, within the back-dating window)',
  })
  definedOn?: string;
  @ApiPropertyOptional({
    example: 60,
    description: 'The improvement plan is due this many days after the review (the review may then leave the deadline out)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  improvementPlanDeadlineDays?: number;
  @NestedListField(
    SchemeItemBody,
    { min: 1, max: 20 },
    {
      example: [
        {
          itemId: 'punctuality',
          name: 'Punctuality',
          weight: 30,
          measure: { kind: 'attendance_count', kinds: ['late', 'left_early', 'absent'] },
          standard: {
            kind: 'bands',
            bands: [
              { atLeast: 0, points: 100 },
              { atLeast: 1, points: 70 },
              { atLeast: 3, points: 40 },
              { atLeast: 5, points: 0 },
            ],
          },
        },
        {
          itemId: 'booked',
          name: 'Booked sales',
          weight: 50,
          measure: { kind: 'target_achievement', basis: 'booked' },
          standard: { kind: 'linear', from: 5000, to: 12000, pointsAtFrom: 0, pointsAtTo: 100, capped: true },
        },
        {
          itemId: 'visits',
          name: 'Customer visits',
          weight: 20,
          source: 'visits_vs_plan',
          standard: { kind: 'linear', from: 0, to: 10000, pointsAtFrom: 0, pointsAtTo: 100, capped: true },
        },
      ],
      description:
        'Each item measures one catalog measure (GET /api/appraisal-measures) — `measure` with parameters, or `source` for one without — weights summing to 100',
    },
  )
  items: SchemeItemBody[];
  @ApiProperty({ example: 85 }) @IsInt() @Min(0) @Max(100) rewardAtOrAbove: number;
  @ApiProperty({ example: 50 }) @IsInt() @Min(0) @Max(100) improvementPlanBelow: number;
  @NestedField(RewardBody) reward: RewardBody;
  @NestedField(YearEndWeightsBody)
  yearEnd: YearEndWeightsBody;
}

// ── appraisals ───────────────────────────────────────────────────────────────
export class RunAppraisalsBody {
  @ApiProperty({ example: '2026-11', description: 'YYYY-MM (monthly) or YYYY (year_end); the period must have ended' })
  @Matches(PERIOD, { message: 'period must be a month YYYY-MM or a year YYYY' })
  period: string;
  @ApiProperty({ enum: ['monthly', 'year_end'] }) @IsIn(['monthly', 'year_end']) kind: 'monthly' | 'year_end';
  @ApiPropertyOptional({ type: [String], description: 'Default: every salesperson employed in the period' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(ID_PATTERN, { each: true, message: 'each employeeId must be 1-64 letters, digits, _ or -' })
  employeeIds?: string[];
  @OptionalDateField({
    example: '2026-12-02',
    description: 'Business date of the scoring (default today, within the back-dating window), after the period',
  })
  scoredOn?: string;
}

export class GoalBody {
  @ApiProperty({ example: 'Visit every planned customer' }) @IsString() @IsNotEmpty() @MaxLength(500) description: string;
  @ApiPropertyOptional({ example: 'visits vs plan' }) @IsOptional() @IsString() @MaxLength(200) measure?: string;
  @ApiPropertyOptional({ example: '100 %' }) @IsOptional() @IsString() @MaxLength(200) target?: string;
}

export class ImprovementPlanBody {
  @NestedListField(GoalBody, { min: 1, max: 20 })
  goals: GoalBody[];
  @OptionalDateField({
    example: '2026-03-31',
    description: 'After the review date; default: the scheme’s improvementPlanDeadlineDays after the review',
  })
  deadline?: string;
}

export class ReviewAppraisalBody {
  @ApiProperty({ example: 'Strong month; keep the visit rhythm' }) @IsString() @IsNotEmpty() @MaxLength(5000) feedback: string;
  @OptionalNestedField(ImprovementPlanBody, { description: 'Required below the scheme’s plan threshold, refused otherwise' })
  improvementPlan?: ImprovementPlanBody;
  @OptionalDateField({ example: '2026-03-03', description: 'Business date of the review (default today)' })
  reviewedOn?: string;
}

export class AcknowledgeAppraisalBody {
  @ApiPropertyOptional({ example: 'Agreed' }) @IsOptional() @IsString() @MaxLength(5000) comment?: string;
  @OptionalDateField({
    example: '2026-12-10',
    description: 'Business date of the acknowledgement (default today, within the back-dating window), from the review on',
  })
  acknowledgedOn?: string;
}

export class ReviewPlanBody {
  @ApiProperty({ enum: ['met', 'not_met'] }) @IsIn(['met', 'not_met']) outcome: 'met' | 'not_met';
  @ApiProperty({ example: 'All goals reached' }) @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
  @OptionalDateField({ example: '2026-05-01', description: 'Business date of the review (default today), at or after the deadline' })
  reviewedOn?: string;
}

export class AppraisalReportQuery extends ReadModelQuery {
  @ApiProperty({ example: '2026-11', description: 'YYYY-MM or YYYY' })
  @Matches(PERIOD, { message: 'period must be a month YYYY-MM or a year YYYY' })
  period: string;
}

export class ScorecardQuery extends ReadModelQuery {
  @ApiPropertyOptional({ example: '2026-11', description: 'YYYY-MM or YYYY (default: the last month)' })
  @IsOptional()
  @Matches(PERIOD, { message: 'period must be a month YYYY-MM or a year YYYY' })
  period?: string;
}

export class ImprovementPlansQuery extends ReadModelQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only plans past their deadline without a review' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, id('employeeId')) employeeId?: string;
}
