import { OptionalDateField } from '@salesline/core';
import { ReasonBody } from '@salesline/core';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN } from '@salesline/shared-kernel';
import { PagedReadModelQuery } from '@salesline/core';

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;

export class RegisterCustomerBody {
  @ApiProperty({ example: 'Acme GmbH' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'wholesale', description: 'Customer group (price lists and reports)' })
  @Matches(CODE, { message: 'customerGroup must be 1-64 letters, digits, _ . or -' })
  customerGroup: string;

  @ApiProperty({ example: 'north' })
  @Matches(CODE, { message: 'territory must be 1-64 letters, digits, _ . or -' })
  territory: string;

  @ApiProperty({ example: 'sp-anna', description: 'Owning salesperson (user id)' })
  @Matches(ID_PATTERN, { message: 'ownerId must be 1-64 letters, digits, _ or -' })
  ownerId: string;

  @ApiProperty({ example: 500000, description: 'Credit limit in minor units (0 = cash terms)' })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  creditLimit: number;

  @ApiProperty({ example: 30 })
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermsDays: number;

  @OptionalDateField({ example: '2026-01-10', description: 'Business date (default today, within the back-dating window)' })
  registeredOn?: string;
}

export class ChangeCustomerDetailsBody {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(CODE, { message: 'customerGroup must be 1-64 letters, digits, _ . or -' })
  customerGroup?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE, { message: 'territory must be 1-64 letters, digits, _ . or -' }) territory?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, { message: 'ownerId must be 1-64 letters, digits, _ or -' }) ownerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(365) paymentTermsDays?: number;

  @OptionalDateField({ example: '2026-02-01', description: 'Business date of the change (default today, within the back-dating window)' })
  changedOn?: string;
}

export class ChangeCreditLimitBody {
  @ApiProperty({ example: 750000 }) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) creditLimit: number;
  @ApiProperty({ example: 'annual review' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;

  @OptionalDateField({ example: '2026-02-01', description: 'Business date of the change (default today, within the back-dating window)' })
  changedOn?: string;
}

export class BlockCustomerBody extends ReasonBody {
  @OptionalDateField({ example: '2026-02-01', description: 'Business date of the block (default today, within the back-dating window)' })
  blockedOn?: string;
}

export class UnblockCustomerBody extends ReasonBody {
  @OptionalDateField({
    example: '2026-02-01',
    description: 'Business date of the unblock (default today, within the back-dating window)',
  })
  unblockedOn?: string;
}

/** One ReasonBody for the whole API (one schema name in OpenAPI). */
export { ReasonBody };

export class ListCustomersQuery extends PagedReadModelQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) group?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) territory?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN) owner?: string;
  @ApiPropertyOptional({ enum: ['active', 'blocked'] }) @IsOptional() @IsIn(['active', 'blocked']) status?: 'active' | 'blocked';
}

export { CommandAccepted } from '@salesline/core';
