import { OptionalDateField } from '@salesline/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN } from '@salesline/shared-kernel';
import { PagedReadModelQuery } from '@salesline/core';
import { ADMINISTRATIVE_DECISIONS, MANAGER_DECISIONS } from '../domain/territory-objection';

const ID_MESSAGE = (field: string) => ({ message: `${field} must be 1-64 letters, digits, _ or -` });
const BUSINESS_DATE = 'Business date (default today; within the back-dating window, never in the future)';

export { CommandAccepted } from '@salesline/core';

// ── regions ──────────────────────────────────────────────────────────────────
export class EstablishRegionBody {
  @ApiPropertyOptional({ example: 'north', description: 'Region id (default: generated, derived from the Idempotency-Key)' })
  @IsOptional()
  @Matches(ID_PATTERN, ID_MESSAGE('regionId'))
  regionId?: string;
  @ApiProperty({ example: 'North' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'm-nora', nullable: true })
  @IsOptional()
  @Matches(ID_PATTERN, ID_MESSAGE('managerId'))
  managerId?: string;
  @OptionalDateField({ example: '2026-01-01', description: BUSINESS_DATE })
  establishedOn?: string;
}

export class ChangeManagerBody {
  @ApiProperty({ example: 'm-nora' }) @Matches(ID_PATTERN, ID_MESSAGE('managerId')) managerId: string;
  @OptionalDateField({ description: BUSINESS_DATE })
  changedOn?: string;
}

export class OpenBranchBody {
  @ApiPropertyOptional({ example: 'oslo-1' }) @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('branchId')) branchId?: string;
  @ApiProperty({ example: 'Oslo city' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ example: 'Oslo' }) @IsString() @IsNotEmpty() @MaxLength(200) city: string;
  @OptionalDateField({ description: BUSINESS_DATE })
  openedOn?: string;
}

export class CloseBranchBody {
  @OptionalDateField({ description: BUSINESS_DATE })
  closedOn?: string;
}

export class AppointAgentBody {
  @ApiPropertyOptional({ example: 'agent-nordic' }) @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('agentId')) agentId?: string;
  @ApiProperty({ example: 'Nordic Trading AS' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ example: 500, description: 'Commission in basis points (0..10000)' }) @IsInt() @Min(0) @Max(10_000) commissionBp: number;
  @OptionalDateField({ description: BUSINESS_DATE })
  appointedOn?: string;
}

export class EndAgentBody {
  @ApiProperty({ example: 'contract ended' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @OptionalDateField({ description: BUSINESS_DATE })
  endedOn?: string;
}

export class CloseRegionBody {
  @OptionalDateField({ description: BUSINESS_DATE })
  closedOn?: string;
}

// ── teams ────────────────────────────────────────────────────────────────────
export class FormTeamBody {
  @ApiPropertyOptional({ example: 'north-a' }) @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('teamId')) teamId?: string;
  @ApiProperty({ example: 'north' }) @Matches(ID_PATTERN, ID_MESSAGE('regionId')) regionId: string;
  @ApiProperty({ example: 'North A' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ example: 'm-nora' }) @Matches(ID_PATTERN, ID_MESSAGE('managerId')) managerId: string;
  @OptionalDateField({ description: BUSINESS_DATE })
  formedOn?: string;
}

export class DisbandTeamBody {
  @OptionalDateField({ description: BUSINESS_DATE })
  disbandedOn?: string;
}

export class ListTeamsQuery extends PagedReadModelQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('regionId')) regionId?: string;
  @ApiPropertyOptional({ enum: ['active', 'disbanded'] }) @IsOptional() @IsIn(['active', 'disbanded']) status?: 'active' | 'disbanded';
}

export class ListRegionsQuery extends PagedReadModelQuery {
  @ApiPropertyOptional({ enum: ['active', 'closed'] }) @IsOptional() @IsIn(['active', 'closed']) status?: 'active' | 'closed';
}

// ── employees ────────────────────────────────────────────────────────────────
export class HireSalespersonBody {
  @ApiProperty({ example: 'sp-anna', description: 'The employee id is the salesperson’s user id (ADR 0200)' })
  @Matches(ID_PATTERN, ID_MESSAGE('employeeId'))
  employeeId: string;
  @ApiProperty({ example: 'Anna Berg' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty({ example: 'north-a' }) @Matches(ID_PATTERN, ID_MESSAGE('teamId')) teamId: string;
  @OptionalDateField({ description: `First working day. ${BUSINESS_DATE}` })
  hiredOn?: string;
}

export class AssignTerritoryBody {
  @ApiProperty({ example: 'oslo' }) @Matches(ID_PATTERN, ID_MESSAGE('territory')) territory: string;
  @OptionalDateField({ description: BUSINESS_DATE })
  assignedOn?: string;
}

export class UnassignTerritoryBody {
  @OptionalDateField({ description: `First day without the territory. ${BUSINESS_DATE}` })
  unassignedOn?: string;
}

export class TransferBody {
  @ApiProperty({ example: 'south-a' }) @Matches(ID_PATTERN, ID_MESSAGE('toTeamId')) toTeamId: string;
  @OptionalDateField({ description: 'First day in the new team (may be future-dated; default today)' })
  effectiveOn?: string;
}

export class LeaveBody {
  @ApiProperty({ example: 'resigned' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @OptionalDateField({ description: 'Last working day (may be future-dated; default today)' })
  leftOn?: string;
}

export class ListEmployeesQuery extends PagedReadModelQuery {
  @ApiPropertyOptional({ description: 'Current team' }) @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('teamId')) teamId?: string;
  @ApiPropertyOptional({ description: 'Current region' }) @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('regionId')) regionId?: string;
  @ApiPropertyOptional({ enum: ['active', 'left'] }) @IsOptional() @IsIn(['active', 'left']) status?: 'active' | 'left';
}

// ── territory objections ─────────────────────────────────────────────────────
export class RaiseObjectionBody {
  @ApiProperty({ example: 'sp-anna', description: 'The objecting salesperson (must be the caller)' })
  @Matches(ID_PATTERN, ID_MESSAGE('employeeId'))
  employeeId: string;
  @ApiProperty({ example: 'oslo' }) @Matches(ID_PATTERN, ID_MESSAGE('territory')) territory: string;
  @ApiProperty({ example: 'Two hours from home; no car' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
  @OptionalDateField({ example: '2026-11-02', description: 'Business date the objection was raised (default today)' })
  raisedOn?: string;
}

export class ResolveObjectionBody {
  @ApiProperty({ enum: MANAGER_DECISIONS }) @IsIn(MANAGER_DECISIONS as unknown as string[]) decision: (typeof MANAGER_DECISIONS)[number];
  @ApiProperty({ example: 'Swap oslo for drammen' }) @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
  @OptionalDateField({ description: `${BUSINESS_DATE}; not before the objection was raised` })
  resolvedOn?: string;
}

export class WithdrawObjectionBody {
  @OptionalDateField({ description: `${BUSINESS_DATE}; not before the objection was raised (or escalated)` })
  withdrawnOn?: string;
}

export class AdministrativeDecisionBody {
  @ApiProperty({ enum: ADMINISTRATIVE_DECISIONS })
  @IsIn(ADMINISTRATIVE_DECISIONS as unknown as string[])
  decision: (typeof ADMINISTRATIVE_DECISIONS)[number];
  @ApiProperty({ example: 'Oslo goes to sp-ben' }) @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
  @OptionalDateField({ description: `${BUSINESS_DATE}; not before the dispute was escalated` })
  decidedOn?: string;
}

export class ListObjectionsQuery extends PagedReadModelQuery {
  @ApiPropertyOptional({ enum: ['open', 'withdrawn', 'resolved', 'escalated', 'decided'] })
  @IsOptional()
  @IsIn(['open', 'withdrawn', 'resolved', 'escalated', 'decided'])
  status?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('employeeId')) employeeId?: string;
}

// ── visits ───────────────────────────────────────────────────────────────────
export class RecordVisitBody {
  @ApiProperty({ example: 'c-1' }) @Matches(ID_PATTERN, ID_MESSAGE('customerId')) customerId: string;
  @OptionalDateField({ description: BUSINESS_DATE })
  visitedOn?: string;
  @ApiProperty({ example: 'Demo done; quote requested' }) @IsString() @IsNotEmpty() @MaxLength(2000) outcome: string;
  @ApiPropertyOptional({ example: 'sp-anna', description: 'The visiting salesperson (default: the caller)' })
  @IsOptional()
  @Matches(ID_PATTERN, ID_MESSAGE('employeeId'))
  employeeId?: string;
}

export class ListVisitsQuery extends PagedReadModelQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, ID_MESSAGE('employeeId')) employeeId?: string;
  @OptionalDateField()
  from?: string;
  @OptionalDateField()
  to?: string;
}
