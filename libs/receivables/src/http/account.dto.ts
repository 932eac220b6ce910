import { OptionalDateField, OptionalNestedListField } from '@salesline/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional } from 'class-validator';
import { IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN } from '@salesline/shared-kernel';

const MAX_MINOR = Number.MAX_SAFE_INTEGER;

export class DepositBody {
  @ApiProperty({ example: 50000, description: 'Minor units' }) @IsInt() @Min(1) @Max(MAX_MINOR) amount: number;
  @OptionalDateField({ example: '2026-11-27' })
  receivedOn?: string;
  @ApiPropertyOptional({ example: 'bank transfer 4711' }) @IsOptional() @IsString() @MaxLength(200) reference?: string;
}

export class AllocationBody {
  @ApiProperty() @Matches(ID_PATTERN, { message: 'invoiceId must be 1-64 letters, digits, _ or -' }) invoiceId: string;
  @ApiProperty({ example: 25000 }) @IsInt() @Min(1) @Max(MAX_MINOR) amount: number;
}

export class PaymentBody extends DepositBody {
  @OptionalNestedListField(
    AllocationBody,
    { min: 1, max: 500 },
    { description: 'Default: oldest due first; what is left stays unallocated credit' },
  )
  allocations?: AllocationBody[];
}

export class RefundBody {
  @ApiPropertyOptional({ description: 'Default: all that is unallocated' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_MINOR) amount?: number;
  @OptionalDateField()
  refundedOn?: string;
}

export class AllocateCreditBody extends AllocationBody {
  @ApiProperty() @Matches(ID_PATTERN, { message: 'sourceId must be 1-64 letters, digits, _ or -' }) sourceId: string;
  @ApiProperty({ enum: ['payment', 'deposit', 'credit_note'] }) @IsIn(['payment', 'deposit', 'credit_note']) sourceKind:
    'payment' | 'deposit' | 'credit_note';
  @OptionalDateField({ description: 'Business date of the allocation (default today, within the back-dating window)' })
  allocatedOn?: string;
}

export class RefusalBody {
  @ApiProperty({ example: 'goods not as ordered' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @OptionalDateField()
  refusedOn?: string;
}

export class SettleDisputeBody {
  @ApiProperty({ enum: ['customer_pays', 'credited', 'written_off'] })
  @IsIn(['customer_pays', 'credited', 'written_off'])
  outcome: 'customer_pays' | 'credited' | 'written_off';
  @OptionalDateField()
  settledOn?: string;
}

export class WriteOffBody {
  @ApiProperty({ example: 'uncollectable after insolvency' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @ApiPropertyOptional({ description: 'Default: the whole open balance' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_MINOR) amount?: number;
  @OptionalDateField()
  writtenOffOn?: string;
}
