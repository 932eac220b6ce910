import { applyDecorators } from '@nestjs/common';
import { OptionalDateField, NestedListField } from '@salesline/core';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional } from 'class-validator';
import { IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { ID_PATTERN } from '@salesline/shared-kernel';
import { PagedReadModelQuery, ReadModelQuery } from '@salesline/core';
import { EXPENSE_CATEGORIES } from '../domain/sales-expense';
import { REVENUE_BASES } from '../domain/targets-settings';

const PERIOD = /^[1-9]\d{3}(-(0[1-9]|1[0-2])|-Q[1-4])?$/; // year 0000 has no calendar here
const PLAN_PERIOD = /^[1-9]\d{3}-((0[1-9]|1[0-2])|Q[1-4])$/;
const ID_MESSAGE = (field: string) => ({ message: `${field} must be 1-64 letters, digits, _ or -` });
const MAX = Number.MAX_SAFE_INTEGER;

// The composites below list their decorators bottom-up, as the stacks they stand for applied them, so that
// a 400 names a field's reasons in the same order.
/** A figure: a whole number from 0 (minor units or units). */
const Figure = () => applyDecorators(Max(MAX), Min(0), IsInt());
/** A figure that may be left out: it is derived from the parent's ratios (ADR 0213). */
const DerivedFigure = (docs: ApiPropertyOptions) => applyDecorators(Figure(), IsOptional(), ApiPropertyOptional(docs));
/** A distribution kind's twelve weights, each a whole number from 0 to `max`. */
const TwelveWeights = (kind: 'seasonal' | 'percent', max: number) =>
  applyDecorators(
    Max(max, { each: true }),
    Min(0, { each: true }),
    IsInt({ each: true }),
    ArrayMaxSize(12),
    ArrayMinSize(12),
    IsArray(),
    ValidateIf((o: MonthlyDistributionBody) => o.kind === kind),
  );
/** A nested monthly distribution. */
const Monthly = () =>
  applyDecorators(
    Type(() => MonthlyDistributionBody),
    ValidateNested(),
    IsObject(),
  );

export { CommandAccepted } from '@salesline/core';

// ── targets ──────────────────────────────────────────────────────────────────
export class TargetFiguresBody {
  @ApiProperty({ example: 12_000_000_00, description: 'Revenue, minor units' }) @Figure() revenue: number;
  @ApiProperty({ example: 12_000, description: 'Quantity, units' }) @Figure() quantity: number;
  @ApiProperty({ example: 3_600_000_00, description: 'Gross margin, minor units (≤ revenue)' })
  @Figure()
  grossMargin: number;
  @ApiProperty({ example: 240_000_00, description: 'Sales expense budget, minor units' }) @Figure() expenseBudget: number;
  @OptionalDateField({
    example: '2026-01-15',
    description: 'Business date the company target was set (default today, within the back-dating window)',
  })
  setOn?: string;
}

export class MonthFiguresBody {
  @ApiProperty() @Figure() revenue: number;
  @ApiProperty() @Figure() quantity: number;
  @ApiProperty() @Figure() grossMargin: number;
}

export class MonthlyDistributionBody {
  @ApiProperty({
    enum: ['even', 'seasonal', 'percent', 'explicit'],
    example: 'even',
    description:
      "'even': twelve equal months, the remainder one unit each to the earliest months; 'seasonal': 12 integer weights, months by largest remainders (ties to the earlier month); " +
      "'percent': 12 weights in bp summing to 10000, split the same way; 'explicit': 12 months given. Every way, the months add up to the annual figures exactly.",
  })
  @IsIn(['even', 'seasonal', 'percent', 'explicit'])
  kind: 'even' | 'seasonal' | 'percent' | 'explicit';
  @ApiPropertyOptional({
    type: [Number],
    example: [8, 8, 9, 9, 9, 8, 6, 6, 9, 10, 9, 9],
    description: "kind 'seasonal': 12 non-negative integer weights (any total above 0)",
  })
  @TwelveWeights('seasonal', 1_000_000)
  weights?: number[];
  @ApiPropertyOptional({
    type: [Number],
    example: [834, 833, 833, 834, 833, 833, 834, 833, 833, 834, 833, 833],
    description: "kind 'percent': 12 weights in bp summing to 10000",
  })
  @TwelveWeights('percent', 10_000)
  bp?: number[];
  @ApiPropertyOptional({ type: [MonthFiguresBody], description: "kind 'explicit': 12 months whose sums equal the annual figures" })
  @ValidateIf((o: MonthlyDistributionBody) => o.kind === 'explicit')
  @IsArray()
  @ArrayMinSize(12)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => MonthFiguresBody)
  months?: MonthFiguresBody[];
}

export class AssignTargetBody {
  @ApiProperty({ example: 4_000_000_00, description: 'Revenue, minor units' }) @Figure() revenue: number;
  @DerivedFigure({
    example: 4_000,
    description: 'Quantity, units; default: revenue × the parent’s quantity / the parent’s revenue, rounded down',
  })
  quantity?: number;
  @DerivedFigure({
    example: 1_200_000_00,
    description: 'Gross margin, minor units (≤ revenue); default: revenue × the parent’s margin rate, rounded down',
  })
  grossMargin?: number;
  @DerivedFigure({
    example: 80_000_00,
    description: 'Sales expense budget, minor units; default: revenue × the parent’s budget / the parent’s revenue, rounded down',
  })
  expenseBudget?: number;
  @ApiProperty({ enum: ['region', 'team', 'salesperson'] }) @IsIn(['region', 'team', 'salesperson']) nodeKind:
    'region' | 'team' | 'salesperson';
  @ApiProperty({ example: 'north' }) @Matches(ID_PATTERN, ID_MESSAGE('nodeId')) nodeId: string;
  @ApiPropertyOptional({ description: 'Parent (a team’s region, a salesperson’s team); default and check: the organization’s' })
  @IsOptional()
  @Matches(ID_PATTERN, ID_MESSAGE('parentId'))
  parentId?: string;
  @ApiProperty({ type: MonthlyDistributionBody })
  @Monthly()
  monthly: MonthlyDistributionBody;
  @OptionalDateField({
    example: '2026-01-15',
    description: 'Business date of the assignment (default today, within the back-dating window)',
  })
  assignedOn?: string;
}

export class FinalizeTargetPlanBody {
  @OptionalDateField({
    example: '2026-01-15',
    description: 'Business date the plan was finalized (default today, within the back-dating window)',
  })
  finalizedOn?: string;
}

export class WithdrawTargetBody {
  @ApiProperty({ enum: ['region', 'team', 'salesperson'] }) @IsIn(['region', 'team', 'salesperson']) nodeKind:
    'region' | 'team' | 'salesperson';
  @ApiProperty({ example: 'north' }) @Matches(ID_PATTERN, ID_MESSAGE('nodeId')) nodeId: string;
  @OptionalDateField({
    example: '2026-01-15',
    description: 'Business date of the withdrawal (default today, within the back-dating window)',
  })
  withdrawnOn?: string;
}

export class RevisedTargetBody {
  @ApiProperty({ example: 4_500_000_00, description: 'Revenue, minor units' }) @Figure() revenue: number;
  @DerivedFigure({
    example: 4_500,
    description:
      'Quantity, units; default: revenue × the parent’s quantity / the parent’s revenue (the parent as revised), rounded down, ' +
      'the units left under the parent one each to the largest remainders. Required for the company.',
  })
  quantity?: number;
  @DerivedFigure({
    example: 1_350_000_00,
    description: 'Gross margin, minor units (≤ revenue); default: revenue × the parent’s margin rate, derived the same way',
  })
  grossMargin?: number;
  @DerivedFigure({
    example: 90_000_00,
    description: 'Sales expense budget, minor units; default: revenue × the parent’s budget / the parent’s revenue, derived the same way',
  })
  expenseBudget?: number;
  @ApiPropertyOptional({
    type: MonthlyDistributionBody,
    description: 'Default: the node’s current distribution (not for the company); even, seasonal, percent or explicit',
  })
  @IsOptional()
  @Monthly()
  monthly?: MonthlyDistributionBody;
}

export class TargetChangeBody {
  @ApiProperty({ enum: ['company', 'region', 'team', 'salesperson'] })
  @IsIn(['company', 'region', 'team', 'salesperson'])
  nodeKind: 'company' | 'region' | 'team' | 'salesperson';
  @ApiProperty({ example: 'sp-anna', description: "'company' for the company" }) @Matches(ID_PATTERN, ID_MESSAGE('nodeId')) nodeId: string;
  @ApiPropertyOptional({ description: 'New parent (a moved node); must be the organization’s' })
  @IsOptional()
  @Matches(ID_PATTERN, ID_MESSAGE('parentId'))
  parentId?: string;
  @ApiProperty({ type: RevisedTargetBody, nullable: true, description: 'New figures, or null to remove the node' })
  @ValidateIf((o: TargetChangeBody) => o.target !== null)
  @IsObject()
  @ValidateNested()
  @Type(() => RevisedTargetBody)
  target: RevisedTargetBody | null;
}

export class ReviseTargetsBody {
  @ApiProperty({ example: 'sp-anna transferred to south-a from 2026-07-01' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
  @NestedListField(TargetChangeBody, { min: 1, max: 500 })
  changes: TargetChangeBody[];
  @OptionalDateField({
    example: '2026-01-15',
    description: 'Business date of the revision (default today, within the back-dating window)',
  })
  revisedOn?: string;
}

// ── sales expenses ───────────────────────────────────────────────────────────
export class RecordExpenseBody {
  @ApiPropertyOptional({ example: 'north', description: 'Default: the salesperson’s region on spentOn' })
  @IsOptional()
  @Matches(ID_PATTERN, ID_MESSAGE('regionId'))
  regionId?: string;
  @ApiPropertyOptional({ example: 'sp-anna', description: 'The person it is spent by (none: the region’s own expense)' })
  @IsOptional()
  @Matches(ID_PATTERN, ID_MESSAGE('employeeId'))
  employeeId?: string;
  @ApiProperty({ example: 120_00, description: 'Minor units, > 0' }) @IsInt() @Min(1) @Max(MAX) amount: number;
  @OptionalDateField({ description: 'Business date (default today; never in the future)' })
  spentOn?: string;
  @ApiProperty({ enum: EXPENSE_CATEGORIES }) @IsIn(EXPENSE_CATEGORIES as unknown as string[]) category: (typeof EXPENSE_CATEGORIES)[number];
  @ApiPropertyOptional({ example: 'Customer dinner' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ReverseExpenseBody {
  @ApiProperty({ example: 'booked twice' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @OptionalDateField({
    example: '2026-01-15',
    description: 'Business date of the reversal (default today, within the back-dating window)',
  })
  reversedOn?: string;
}

export class ListExpensesQuery extends PagedReadModelQuery {
  @ApiProperty({ example: 2026 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2200) year: number;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('regionId')) regionId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('employeeId')) employeeId?: string;
}

// ── sales plans ──────────────────────────────────────────────────────────────
export class ExpectedOrderBody {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('customerId')) customerId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('productId')) productId?: string;
  @ApiProperty({ example: 5_000_00 }) @Figure() amount: number;
  @ApiProperty({ example: 10 }) @Figure() quantity: number;
}

export class SubmitSalesPlanBody {
  @ApiProperty({ example: '2026-11', description: 'A month YYYY-MM or a quarter YYYY-Qn' })
  @Matches(PLAN_PERIOD, { message: 'period must be a month YYYY-MM or a quarter YYYY-Qn' })
  period: string;

  @OptionalDateField({ example: '2026-10-28', description: 'Business date of the submission (default today); before the period ends' })
  submittedOn?: string;
  @ApiProperty({ type: [String], example: ['c-1', 'c-2'] })
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(ID_PATTERN, { each: true, message: 'customersToVisit must be customer ids' })
  customersToVisit: string[];
  @ApiProperty({ example: 6 }) @IsInt() @Min(0) @Max(100_000) plannedVisits: number;
  @NestedListField(ExpectedOrderBody, { max: 1000 })
  expectedOrders: ExpectedOrderBody[];
  @ApiProperty({ example: 'Win back c-2 with the new range; upsell c-1' }) @IsString() @MaxLength(10_000) strategy: string;
}

export class ApprovePlanBody {
  @ApiPropertyOptional({ example: 'Good plan' }) @IsOptional() @IsString() @MaxLength(2000) comments?: string;
  @OptionalDateField({ description: 'Business date of the approval (default today)' })
  approvedOn?: string;
}

export class ReturnPlanBody {
  @ApiProperty({ example: 'Add c-3; too few visits' }) @IsString() @IsNotEmpty() @MaxLength(2000) comments: string;
  @OptionalDateField({ description: 'Business date of the return (default today)' })
  returnedOn?: string;
}

export class ListPlansQuery extends PagedReadModelQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('employeeId')) employeeId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PLAN_PERIOD, { message: 'period must be a month YYYY-MM or a quarter YYYY-Qn' })
  period?: string;
  @ApiPropertyOptional({ enum: ['submitted', 'returned', 'approved'] })
  @IsOptional()
  @IsIn(['submitted', 'returned', 'approved'])
  status?: string;
}

// ── sales progress ───────────────────────────────────────────────────────────
export class SalesProgressQueryParams extends ReadModelQuery {
  @ApiProperty({ example: '2026-11', description: 'A month YYYY-MM, a quarter YYYY-Qn or a year YYYY' })
  @Matches(PERIOD, { message: 'period must be a month YYYY-MM, a quarter YYYY-Qn or a year YYYY' })
  period: string;
  @ApiPropertyOptional({ enum: ['salesperson', 'team', 'region', 'company'], default: 'company' })
  @IsOptional()
  @IsIn(['salesperson', 'team', 'region', 'company'])
  level?: 'salesperson' | 'team' | 'region' | 'company';
  @OptionalDateField({
    description: 'Report as of this date (default today): later documents are ignored; the forecast extrapolates from it',
  })
  asOf?: string;
  @ApiPropertyOptional({
    enum: REVENUE_BASES,
    description: 'Which documents count as revenue for achievement and forecast (default invoiced)',
  })
  @IsOptional()
  @IsIn(REVENUE_BASES as unknown as string[])
  basis?: (typeof REVENUE_BASES)[number];
}

/** `limit` and `offset` page the credited document shares (`documents`, `documentsTotal`). */
export class DrillDownQueryParams extends PagedReadModelQuery {
  @ApiProperty({ example: '2026-11' })
  @Matches(PERIOD, { message: 'period must be a month YYYY-MM, a quarter YYYY-Qn or a year YYYY' })
  period: string;
  @OptionalDateField()
  asOf?: string;
  @ApiPropertyOptional({ enum: REVENUE_BASES })
  @IsOptional()
  @IsIn(REVENUE_BASES as unknown as string[])
  basis?: (typeof REVENUE_BASES)[number];
}
