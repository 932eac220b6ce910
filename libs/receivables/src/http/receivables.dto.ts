import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, ValidateBy } from 'class-validator';
import { ReadModelQuery } from '@salesline/core';
import { isBusinessDate } from '@salesline/shared-kernel';

/** A real calendar day YYYY-MM-DD (2025-02-30 is refused). */
const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: { validate: (v) => isBusinessDate(v), defaultMessage: (a) => `${a?.property} must be a calendar date YYYY-MM-DD` },
  });

export class ReceivablesQuery extends ReadModelQuery {
  @ApiPropertyOptional({
    example: '2026-03-31',
    description: 'Business date the balances and aging are computed for (default: today, UTC)',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({
    example: true,
    description: 'Company list only: also list customers without any account activity (all figures zero)',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeInactive?: boolean;
}
